import { parseProvisioning } from '@wh/shared'
import { useState } from 'preact/hooks'
import { CameraDialog } from '../input/camera/camera-dialog.tsx'
import { useWedge } from '../input/use-wedge.ts'
import { saveSetup, typedSetup, type DeviceSetup } from '../link/setup.ts'

const text = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '')

/**
 * Joins this device to the hub: the code the console shows when a device is registered or its
 * secret rotated, scanned with the camera (or the handheld's scanner), pasted, or typed as id,
 * site and secret. A broker password, if the broker asks for one, is never in the code.
 */
export function SetupScreen({ current, onSaved, onCancel }: { current?: DeviceSetup; onSaved?: () => void; onCancel?: () => void }) {
  const [problem, setProblem] = useState('')
  const [camera, setCamera] = useState(false)
  const [password, setPassword] = useState(current?.brokerPassword ?? '')

  const save = async (setup: DeviceSetup) => {
    const withPassword = password ? { ...setup, brokerPassword: password } : setup
    try {
      // The link restarts as the saved device by itself (link/use-link.ts).
      await saveSetup(withPassword)
      setProblem('')
      onSaved?.()
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err))
    }
  }
  const applyCode = (code: string) => {
    const parsed = parseProvisioning(code.trim())
    if (!parsed.ok) return setProblem(`That is not a device code: ${parsed.error}.`)
    void save(parsed.value)
  }
  // A handheld's own scanner reads the console's QR code too.
  useWedge((scanned) => {
    setCamera(false)
    applyCode(scanned)
  })

  return (
    <section class="setup" aria-labelledby="setup-title">
      <h1 id="setup-title">Set up this device</h1>
      {current && (
        <p>
          Now set up as <strong>{current.deviceId}</strong> at site <strong>{current.site}</strong>. A new code replaces the secret; scans
          waiting to be sent are kept.
        </p>
      )}
      {problem && (
        <p role="alert" class="problem" data-testid="setup-problem">
          {problem}
        </p>
      )}
      <label for="broker-password">Broker password, only if the broker asks for one (enter it first)</label>
      <input
        id="broker-password"
        type="password"
        autoComplete="off"
        value={password}
        onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
      />

      <h2>Scan the device code</h2>
      <p>Open the device in the console (Devices & keys) and scan the QR code it shows.</p>
      <button type="button" id="scan-qr" class="wide" onClick={() => setCamera(true)}>
        Scan the QR code with the camera
      </button>

      <form
        onSubmit={(e) => {
          e.preventDefault()
          applyCode(text(e.currentTarget, 'code'))
        }}
      >
        <h2>Or paste its text</h2>
        <label for="provisioning-code">Device code</label>
        <textarea id="provisioning-code" name="code" rows={3} spellcheck={false} autoCapitalize="off" />
        <button type="submit" id="use-code" class="wide">
          Use this code
        </button>
      </form>

      <form
        onSubmit={(e) => {
          e.preventDefault()
          const form = e.currentTarget
          const typed = typedSetup({ deviceId: text(form, 'deviceId'), site: text(form, 'site'), secret: text(form, 'secret') }, location)
          // A hub with its own MQTT_TOPIC_ROOT; the default one otherwise. saveSetup checks every field.
          void save({ ...typed, topicRoot: text(form, 'topicRoot').trim() || typed.topicRoot })
        }}
      >
        <h2>Or type it</h2>
        <label for="device-id">Device id</label>
        <input id="device-id" name="deviceId" required autoCapitalize="off" defaultValue={current?.deviceId} />
        <label for="device-site">Site</label>
        <input id="device-site" name="site" required autoCapitalize="off" defaultValue={current?.site} />
        <label for="device-secret">Secret</label>
        <input id="device-secret" name="secret" required autoCapitalize="off" autoComplete="off" spellcheck={false} />
        <label for="topic-root">Topic root</label>
        <input id="topic-root" name="topicRoot" autoCapitalize="off" defaultValue={current?.topicRoot ?? 'wh'} />
        <button type="submit" id="save-device" class="wide">
          Save this device
        </button>
      </form>
      {onCancel && (
        <button type="button" class="secondary wide" id="cancel-setup" onClick={onCancel}>
          Back
        </button>
      )}
      {camera && (
        <CameraDialog
          title="Scan the device code"
          onClose={() => setCamera(false)}
          onScan={(scanned) => (setCamera(false), applyCode(scanned))}
        />
      )}
    </section>
  )
}
