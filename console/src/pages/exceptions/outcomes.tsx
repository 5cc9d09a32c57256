import type { Outcome } from './bulk-bar.tsx'

/** What the last decisions made here did, each on its own line; announced as it changes. */
export const Outcomes = ({ outcomes }: { outcomes: readonly Outcome[] }) => (
  <div role="status" class="outcomes">
    {outcomes.length > 0 && (
      <ul aria-label="Outcomes">
        {outcomes.map((o) => (
          <li key={o.id} class={o.refused ? 'problem' : undefined}>
            {o.text}
          </li>
        ))}
      </ul>
    )}
  </div>
)
