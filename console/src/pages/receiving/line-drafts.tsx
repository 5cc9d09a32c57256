import { useState } from 'preact/hooks'
import { SkuInput } from './sku-input.tsx'

/** A line being typed: the quantity stays text until the form is sent, so the field can be emptied. */
export interface LineDraft {
  key: number
  sku: string
  qty: string
}

let nextKey = 1
export const blankLine = (): LineDraft => ({ key: nextKey++, sku: '', qty: '' })

/** The drafts as the API takes lines; an empty row is left out, a bad quantity is the hub's to refuse. */
export const linesOf = (drafts: readonly LineDraft[]) =>
  drafts.filter((d) => d.sku || d.qty).map((d) => ({ sku: d.sku, qty: Number(d.qty) }))

export function useLineDrafts(initial: LineDraft[]) {
  const [drafts, setDrafts] = useState(initial)
  return {
    drafts,
    add: () => setDrafts([...drafts, blankLine()]),
    remove: (key: number) => setDrafts(drafts.filter((d) => d.key !== key)),
    change: (key: number, part: Partial<LineDraft>) => setDrafts(drafts.map((d) => (d.key === key ? { ...d, ...part } : d))),
  }
}

/** New lines of a PO: SKU and quantity each, one more with "Add line". */
export function LineDrafts({ lines, legend }: { lines: ReturnType<typeof useLineDrafts>; legend: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {lines.drafts.map((d, i) => (
        <div class="line-row" key={d.key}>
          <SkuInput label={`SKU of new line ${i + 1}`} value={d.sku} onInput={(sku) => lines.change(d.key, { sku })} />
          <input
            aria-label={`Quantity of new line ${i + 1}`}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            required
            value={d.qty}
            onInput={(e) => lines.change(d.key, { qty: (e.currentTarget as HTMLInputElement).value })}
          />
          <button type="button" class="secondary outline" aria-label={`Remove new line ${i + 1}`} onClick={() => lines.remove(d.key)}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" class="secondary" onClick={lines.add}>
        Add line
      </button>
    </fieldset>
  )
}
