import type { ComponentChildren } from 'preact'

/**
 * A secret the hub shows only in this answer (a device's signing secret, an API key): in a
 * read-only field to copy from, beside a `picture` of it if there is one (a QR code), until the
 * person says it is kept.
 */
export function ShownOnce({
  title,
  label,
  value,
  onDone,
  picture,
  children,
}: {
  title: string
  label: string
  value: string
  onDone: () => void
  picture?: ComponentChildren
  children?: ComponentChildren
}) {
  return (
    <article class="shown-once" aria-label={title}>
      <h3>{title}</h3>
      <div class="shown-once-body">
        {picture}
        <div>
          <p>Shown only now: the hub keeps it sealed or hashed and cannot show it again.</p>
          <label>
            {label}
            <input readOnly value={value} spellcheck={false} onFocus={(e) => e.currentTarget.select()} />
          </label>
          {children}
          <button type="button" onClick={onDone}>
            Done: it is stored
          </button>
        </div>
      </div>
    </article>
  )
}
