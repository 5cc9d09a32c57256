/** The quantity a scan sends: 1 unless changed; `signed` for an adjustment (a ± button flips it, one thumb). */
export function QtyField({ value, onChange, signed = false }: { value: string; onChange: (value: string) => void; signed?: boolean }) {
  const flip = () => onChange(value.startsWith('-') ? value.slice(1) : `-${value}`)
  return (
    <div class="qty-field">
      <label for="qty">{signed ? 'Change (+ adds, − removes)' : 'Quantity'}</label>
      <div class="qty-row">
        {signed && (
          <button type="button" class="secondary" id="qty-sign" aria-label="Flip between adding and removing" onClick={flip}>
            ±
          </button>
        )}
        <input
          id="qty"
          type="number"
          inputMode={signed ? 'text' : 'numeric'}
          step={1}
          min={signed ? undefined : 1}
          value={value}
          onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
    </div>
  )
}

/** What a quantity may be: at least 1 (receive, move, pick), 0 or more (a count), or any but 0 (an adjustment). */
export type QtyKind = 'positive' | 'count' | 'signed'

/** The quantity typed, or why it cannot be sent. */
export function readQty(value: string, kind: QtyKind): { qty: number } | { error: string } {
  const qty = Number(value)
  if (value.trim() === '' || !Number.isInteger(qty)) return { error: 'The quantity must be a whole number.' }
  if (kind === 'signed' && qty === 0) return { error: 'A change cannot be zero.' }
  if (kind === 'count' && qty < 0) return { error: 'A count cannot be negative.' }
  if (kind === 'positive' && qty < 1) return { error: 'The quantity must be at least 1.' }
  return { qty }
}
