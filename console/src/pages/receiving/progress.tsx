/** Received against ordered, as a bar and in figures; `label` names the bar for screen readers. */
export const Progress = ({ received, ordered, label }: { received: number; ordered: number; label: string }) => (
  <span class="po-progress">
    <progress value={received} max={Math.max(ordered, 1)} aria-label={label} />
    <span>
      {received} / {ordered}
    </span>
  </span>
)
