import { useEffect } from 'preact/hooks'
import type { HealthDetails } from '@wh/shared'
import { api, query } from '../api.ts'
import { Page, ProblemNote, Time } from '../components.tsx'
import { useLoad } from '../load.ts'
import { may, useSession } from '../session.tsx'
import { Backlog, Queues } from './health/backlog.tsx'
import { Devices } from './health/devices.tsx'
import { LastRun } from './health/last-run.tsx'
import { Services } from './health/services.tsx'
import { Warnings } from './health/warnings.tsx'

/** The backlog and devices change without anyone announcing it: the page asks again this often. */
const REFRESH_MS = 5000

const Unknown = () => <p class="problem">Not known now: its service did not answer.</p>

/**
 * The hub's health at a glance, for a desk or a wall screen: its warnings, the services, the event
 * pipeline's backlog per partition, the job queues, the chosen site's devices and the last
 * reconciliation.
 */
export function Health() {
  const { person, site } = useSession()
  const health = useLoad(() => api<HealthDetails>('GET', `/api/health/details${query({ site })}`), [site], {
    topics: ['reconciliation'],
    site,
  })
  useEffect(() => {
    const timer = setInterval(health.reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [health.reload])
  const h = health.data

  return (
    <Page
      title="Health"
      actions={
        h && (
          <small>
            Checked <Time at={h.checkedAt} />
          </small>
        )
      }
    >
      <ProblemNote error={health.error} />
      {h && h.warnings.length > 0 && <Warnings warnings={h.warnings} />}
      {h && (
        <div class="health-grid">
          <section aria-labelledby="h-services">
            <h2 id="h-services">Services</h2>
            <Services checks={h.services} />
          </section>
          <section aria-labelledby="h-backlog">
            <h2 id="h-backlog">Backlog</h2>
            {h.partitions ? <Backlog partitions={h.partitions} /> : <Unknown />}
          </section>
          <section aria-labelledby="h-devices">
            <h2 id="h-devices">Devices</h2>
            {h.devices ? <Devices devices={h.devices} /> : <Unknown />}
          </section>
          <section aria-labelledby="h-reconciliation">
            <h2 id="h-reconciliation">Last reconciliation</h2>
            <LastRun run={h.lastReconciliation} />
          </section>
          <section aria-labelledby="h-queues">
            <h2 id="h-queues">Queues</h2>
            {h.queues ? <Queues queues={h.queues} /> : <Unknown />}
            {may(person, 'admin') ? (
              <a href={h.queueView}>Open the queue view</a>
            ) : (
              <p class="empty">An admin sees each job in the queue view.</p>
            )}
          </section>
        </div>
      )}
    </Page>
  )
}
