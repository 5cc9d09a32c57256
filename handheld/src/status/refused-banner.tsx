import type { LinkState } from '../link/link.ts'

const WHY: Record<string, string> = {
  BAD_SIGNATURE: 'The hub no longer accepts this device’s secret: it was rotated in the console.',
  DEVICE_DISABLED: 'This device has been disabled in the console: ask for it to be enabled again.',
  UNKNOWN_DEVICE: 'The hub does not know this device: it was removed or never registered.',
}

/**
 * Shown while the hub refuses the device: why, that nothing scanned is lost, and the way back in
 * (scanning the new code the console shows after a rotation, or asking for the device back).
 */
export function RefusedBanner({
  refused,
  pending,
  onSetup,
}: {
  refused: NonNullable<LinkState['refused']>
  pending: number | null
  onSetup: () => void
}) {
  return (
    <section class="refused" role="alert" data-testid="refused" data-code={refused.code} aria-labelledby="refused-title">
      <h2 id="refused-title">The hub refuses this device</h2>
      <p>{WHY[refused.code] ?? refused.message}</p>
      <p>
        {pending === 1 ? '1 scan is' : pending === null ? 'Scans are' : `${pending} scans are`} kept on this device and will be sent once
        the hub accepts it again.
      </p>
      <button type="button" id="scan-new-code" onClick={onSetup}>
        Scan the new device code
      </button>
    </section>
  )
}
