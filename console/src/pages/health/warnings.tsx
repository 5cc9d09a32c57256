import type { ReadinessWarning } from '@wh/shared'

/**
 * What the hub warns of without being down (a paused queue, a stalled partition, a service only
 * other roles need), each in its own sentence, first on the page so no one scrolls for it.
 */
export function Warnings({ warnings }: { warnings: readonly ReadinessWarning[] }) {
  return (
    <section class="health-warnings" aria-labelledby="h-warnings">
      <h2 id="h-warnings">Warnings</h2>
      <ul aria-label="Warnings">
        {warnings.map((w) => (
          <li key={`${w.code}-${w.message}`}>{w.message}</li>
        ))}
      </ul>
    </section>
  )
}
