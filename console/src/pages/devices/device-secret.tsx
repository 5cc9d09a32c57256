import type { DeviceWithSecret } from '@wh/shared'
import { QrCode } from './qr-code.tsx'
import { ShownOnce } from './shown-once.tsx'

/** A device's new secret, as text and as the provisioning QR code a handheld scans to set itself up. */
export function DeviceSecret({ issued, onDone }: { issued: DeviceWithSecret; onDone: () => void }) {
  const { device, secret, provisioning } = issued
  const payload = JSON.stringify(provisioning)
  return (
    <ShownOnce
      title={`New secret of ${device.id}`}
      label="Signing secret"
      value={secret}
      onDone={onDone}
      picture={<QrCode text={payload} label={`Provisioning code of ${device.id}: scan it with the handheld`} />}
    >
      <p>Scan the code with the handheld to set it up, or type the secret into it.</p>
      <details>
        <summary>What the code holds</summary>
        <pre>{JSON.stringify({ ...provisioning, secret: '…' }, null, 2)}</pre>
      </details>
    </ShownOnce>
  )
}
