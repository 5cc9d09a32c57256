import type { LinkState } from '../link/link.ts'

const CONNECTION_WORDS = { online: 'Online', offline: 'Offline', connecting: 'Connecting' } as const

/**
 * On every screen: which device this is, whether it reaches the hub, how many scans wait to be
 * sent or answered, and the menu. Pending counts stay visible offline: they are kept on the device.
 */
export function StatusBar({ deviceId, state, onMenu }: { deviceId: string; state: LinkState; onMenu: () => void }) {
  return (
    <header class="status-bar">
      <span class="device" data-testid="device-id" title="This device">
        {deviceId}
      </span>
      <span class={`connection ${state.connection}`} data-testid="connection" data-state={state.connection} role="status">
        {CONNECTION_WORDS[state.connection] ?? state.connection}
      </span>
      <span class="pending" title="Scans not yet answered by the hub">
        <span class="visually-hidden">Pending scans: </span>
        <span data-testid="pending-count">{state.pending ?? '…'}</span>
        <span aria-hidden="true"> pending</span>
      </span>
      <button type="button" class="menu-button" id="menu" aria-label="Menu" onClick={onMenu}>
        ☰
      </button>
    </header>
  )
}
