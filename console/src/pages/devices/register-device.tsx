import type { DeviceWithSecret } from '@wh/shared'
import { DeviceKinds } from '@wh/shared/devices/kinds'
import { api } from '../../api.ts'
import { ProblemNote } from '../../components.tsx'
import { useAction } from '../../action.ts'

/** Registers a device at the shown site; its secret comes back once, for `onIssued` to show. */
export function RegisterDevice({ site, onIssued }: { site: string; onIssued: (issued: DeviceWithSecret) => void }) {
  const { busy, error, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    void run(async () => {
      onIssued(await api<DeviceWithSecret>('POST', '/api/devices', { id: data.get('id'), site, kind: data.get('kind') }))
      form.reset()
    })
  }
  return (
    <form onSubmit={submit} class="inline-form" aria-label="Register a device">
      <label>
        Device id
        <input name="id" required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" placeholder="HH-07" autocomplete="off" />
      </label>
      <label>
        Kind
        <select name="kind">
          {DeviceKinds.map((kind) => (
            <option value={kind}>{kind}</option>
          ))}
        </select>
      </label>
      <button type="submit" aria-busy={busy} disabled={busy || !site}>
        Register device
      </button>
      <ProblemNote error={error} />
    </form>
  )
}
