import { useState } from 'preact/hooks'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { Facts, ProblemNote, Time } from '../../components.tsx'
import { useFocusWhenShown } from '../../focus.ts'
import { useLoad } from '../../load.ts'
import { DeliveryLog } from './delivery-log.tsx'
import { useEvery } from './every.ts'
import { PauseForm } from './pause-form.tsx'
import { ReplayRange, replayedText } from './replay-range.tsx'
import { SecretShown } from './secret-shown.tsx'
import { SubscriptionState } from './subscription-state.tsx'
import type { IssuedWebhook, WebhookSubscription } from './webhook-types.ts'
import { WEBHOOK_TOPICS } from './webhook-words.ts'

/**
 * One subscription (keyed by id): what it sends where, its buttons (test, pause or resume, a new
 * secret, replays, delete) and its delivery log, which follows the worker's attempts.
 */
export function SubscriptionDetail({ id, onDeleted }: { id: number; onDeleted: (name: string) => void }) {
  const loaded = useLoad(() => api<WebhookSubscription>('GET', `/api/webhooks/${id}`), [id], { topics: WEBHOOK_TOPICS })
  useEvery(loaded.reload)
  const [issued, setIssued] = useState<IssuedWebhook>()
  const [form, setForm] = useState<'pause' | 'replay'>()
  const [notice, setNotice] = useState('')
  const action = useAction()
  const sub = loaded.data?.id === id ? loaded.data : undefined
  const heading = useFocusWhenShown<HTMLHeadingElement>(sub !== undefined)
  if (!sub) return loaded.error ? <ProblemNote error={loaded.error} /> : <p aria-busy="true">Loading…</p>

  const path = (what = '') => `/api/webhooks/${sub.id}${what && '/' + what}`
  function run(question: string | undefined, work: () => Promise<string | void>) {
    if (question && !confirm(question)) return
    setNotice('')
    void action.run(async () => {
      const said = await work()
      if (said) setNotice(said)
      loaded.reload()
    })
  }
  /** Posts `what` and answers `said` once the hub took it. */
  const post = (what: string, said: string) => async () => {
    await api('POST', path(what), {})
    return said
  }
  const ping = () => run(undefined, post('ping', 'Test message queued: the log shows its delivery.'))
  const resume = () => run(undefined, post('resume', `${sub.name} resumed: what waited is sent now.`))
  const rotate = () =>
    run(`Give ${sub.name} a new secret? Its endpoint must check signatures with the new one from now on.`, async () => {
      const answer = await api<{ secret: string; subscription?: WebhookSubscription }>('POST', path('rotate-secret'), {})
      setIssued({ subscription: answer.subscription ?? sub, secret: answer.secret })
    })
  const replayDead = () =>
    run(undefined, async () => replayedText(await api('POST', path('replay'), { status: 'dead' }), 'the dead-lettered'))
  const remove = () =>
    run(`Delete ${sub.name}? Nothing more is sent to ${sub.url}.`, async () => {
      await api('DELETE', path())
      onDeleted(sub.name)
    })

  const closeForm = (text: string) => {
    setForm(undefined)
    setNotice(text)
    loaded.reload()
  }

  return (
    <article aria-labelledby="webhook-heading">
      <header>
        <h2 id="webhook-heading" ref={heading} tabIndex={-1}>
          {sub.name}
        </h2>
        <Facts
          facts={{
            Status: <SubscriptionState sub={sub} />,
            Site: sub.site,
            URL: <span class="webhook-url">{sub.url}</span>,
            Events: sub.events.join(', '),
            SKUs: sub.skus ? sub.skus.join(', ') : 'every SKU of the site',
            Pending: sub.pending,
            Dead: sub.dead,
            Created: (
              <>
                <Time at={sub.createdAt} /> by {sub.createdBy}
              </>
            ),
          }}
        />
      </header>
      {issued && <SecretShown issued={issued} onDone={() => setIssued(undefined)} />}
      <div class="button-row">
        <button type="button" onClick={ping} disabled={action.busy}>
          Send test
        </button>
        {sub.status === 'paused' ? (
          <button type="button" class="secondary" onClick={resume} disabled={action.busy}>
            Resume
          </button>
        ) : (
          <button type="button" class="secondary" onClick={() => setForm('pause')} disabled={form === 'pause'}>
            Pause…
          </button>
        )}
        <button type="button" class="secondary" onClick={rotate} disabled={action.busy}>
          Rotate secret
        </button>
        <button type="button" class="secondary" onClick={replayDead} disabled={action.busy || sub.dead === 0}>
          Replay dead ({sub.dead})
        </button>
        <button type="button" class="secondary outline" onClick={() => setForm('replay')} disabled={form === 'replay'}>
          Replay range…
        </button>
        <button type="button" class="contrast" onClick={remove} disabled={action.busy}>
          Delete
        </button>
      </div>
      <p role="status">{notice}</p>
      <ProblemNote error={action.error || loaded.error} />
      {form === 'pause' && <PauseForm sub={sub} onDone={closeForm} />}
      {form === 'replay' && <ReplayRange id={sub.id} onDone={closeForm} />}
      <DeliveryLog id={sub.id} />
    </article>
  )
}
