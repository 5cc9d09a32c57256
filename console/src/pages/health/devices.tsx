import type { HealthDetails } from '@wh/shared'
import { DataTable, Time } from '../../components.tsx'

/** The chosen site's devices: how many are online, and each one's status and last sign of life. */
export function Devices({ devices }: { devices: NonNullable<HealthDetails['devices']> }) {
  return (
    <>
      <p class="headline">
        <strong>{devices.online}</strong> of {devices.items.length} online at {devices.site}
      </p>
      <DataTable
        caption={`Devices at ${devices.site}`}
        rows={devices.items}
        rowKey={(d) => d.deviceId}
        empty="No devices registered at this site."
        columns={[
          { label: 'Device', cell: (d) => d.deviceId },
          { label: 'Kind', cell: (d) => d.kind },
          { label: 'Status', cell: (d) => <span class={`device-status ${d.status}`}>{d.status === 'online' ? 'Online' : 'Offline'}</span> },
          { label: 'Last seen', cell: (d) => <Time at={d.lastSeenAt} /> },
          { label: 'Events today', cell: (d) => d.eventsToday, numeric: true },
        ]}
      />
    </>
  )
}
