import type { ComponentChildren } from 'preact'

/**
 * A secret the hub shows only in this answer (a device's signing secret, an API key): in a
 * read-only field to copy from, with what else helps store it, until the person says it is kept.
 */
export function ShownOnce({
  title,
  label,
  value,
  onDone,
  children,
}: {
  title: string
  label: string
  value: string
  onDone: () => void
  children?: ComponentChildren
}) {
  return (
    <article class="shown-once" aria-label={title}>
      <h3>{title}</h3>
      <p>Shown only now: the hub keeps it sealed or hashed and cannot show it again.</p>
      {children}
      <label>
        {label}
        <input readOnly value={value} spellcheck={false} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button type="button" onClick={onDone}>
        Done: it is stored
      </button>
    </article>
  )
}
