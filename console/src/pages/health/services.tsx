import type { ServiceChecks } from '@wh/shared'

const NAMES: Record<keyof ServiceChecks, string> = { mysql: 'MySQL', redis: 'Redis', mqtt: 'MQTT broker', queues: 'Job queues' }
const WORDS = { up: 'Up', down: 'Down', paused: 'Paused' } as const

/** Each service the hub needs, up or not, in words and colour (the words alone carry it). */
export function Services({ checks }: { checks: ServiceChecks }) {
  return (
    <ul class="services" aria-label="Services">
      {(Object.keys(NAMES) as (keyof ServiceChecks)[]).map((name) => (
        <li class={`service ${checks[name]}`}>
          <span>{NAMES[name]}</span> <strong>{WORDS[checks[name]]}</strong>
        </li>
      ))}
    </ul>
  )
}
