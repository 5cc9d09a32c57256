import { useState } from 'preact/hooks'
import type { DeviceInfo, DeviceWithSecret } from '@wh/shared'
import { api, query } from '../../api.ts'
import { DataTable, ProblemNote, Time, type Column } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { DeviceSecret } from './device-secret.tsx'
import { RegisterDevice } from './register-device.tsx'
import { useAction } from '../../action.ts'

/** The shown site's scanners: register, rotate a secret (shown once, with its QR code), disable, enable. */
export function DeviceSection({ site }: { site: string }) {
  const devices = useLoad(
    () => (site ? api<{ devices: DeviceInfo[] }>('GET', `/api/devices${query({ site })}`) : Promise.resolve({ devices: [] })),
    [site],
    { topics: ['devices'], site },
  )
  const [issued, setIssued] = useState<DeviceWithSecret>()
  const action = useAction()
  const path = (d: DeviceInfo, what: string) => `/api/devices/${encodeURIComponent(d.id)}/${what}`

  const rotate = (d: DeviceInfo) =>
    run(`Give ${d.id} a new secret? Its current secret stops working at once.`, async () => {
      setIssued(await api<DeviceWithSecret>('POST', path(d, 'rotate'), {}))
    })
  const toggle = (d: DeviceInfo) =>
    run(d.enabled ? `Disable ${d.id}? The hub refuses its scans until it is enabled again.` : undefined, async () => {
      await api('POST', path(d, d.enabled ? 'disable' : 'enable'), {})
    })
  function run(question: string | undefined, work: () => Promise<void>) {
    if (question && !confirm(question)) return
    void action.run(async () => {
      await work()
      devices.reload()
    })
  }

  const columns: Column<DeviceInfo>[] = [
    { label: 'Device', cell: (d) => d.id },
    { label: 'Kind', cell: (d) => d.kind },
    { label: 'Status', cell: (d) => (d.enabled ? d.status : `${d.status}, disabled`) },
    { label: 'Last seen', cell: (d) => <Time at={d.lastSeenAt} /> },
    { label: 'Secret issued', cell: (d) => (d.hasSecret ? <Time at={d.secretRotatedAt} /> : 'none: rotate to issue one') },
    {
      label: 'Actions',
      cell: (d) => (
        <div class="row-actions">
          <button type="button" class="secondary" aria-label={`Rotate secret of ${d.id}`} onClick={() => rotate(d)} disabled={action.busy}>
            Rotate
          </button>
          <button
            type="button"
            class={d.enabled ? 'contrast' : 'secondary'}
            aria-label={`${d.enabled ? 'Disable' : 'Enable'} ${d.id}`}
            onClick={() => toggle(d)}
            disabled={action.busy}
          >
            {d.enabled ? 'Disable' : 'Enable'}
          </button>
        </div>
      ),
    },
  ]

  return (
    <section aria-labelledby="devices-heading">
      <h2 id="devices-heading">Devices at {site}</h2>
      {issued && <DeviceSecret issued={issued} onDone={() => setIssued(undefined)} />}
      <RegisterDevice
        site={site}
        onIssued={(next) => {
          setIssued(next)
          devices.reload()
        }}
      />
      <ProblemNote error={devices.error || action.error} />
      <DataTable rows={devices.data?.devices ?? []} columns={columns} rowKey={(d) => d.id} empty="No devices registered at this site." />
    </section>
  )
}
