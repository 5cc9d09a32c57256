import { useEffect, useId, useState } from 'preact/hooks'
import type { ProductPage } from '@wh/shared'
import { api, query } from '../../api.ts'

/**
 * A SKU field that suggests active products as the person types (the browser's own datalist, so
 * it stays a plain text field to type or paste into). The hub checks the SKU when the form is sent.
 */
export function SkuInput({ value, onInput, label }: { value: string; onInput: (sku: string) => void; label: string }) {
  const listId = useId()
  const [suggestions, setSuggestions] = useState<string[]>([])
  useEffect(() => {
    if (!value) return
    // Asked a moment after the last keystroke, not on every one.
    const timer = setTimeout(() => {
      api<ProductPage>('GET', '/api/products' + query({ q: value, active: true, limit: 20 })).then(
        (page) => setSuggestions(page.items.map((p) => p.sku)),
        () => setSuggestions([]),
      )
    }, 250)
    return () => clearTimeout(timer)
  }, [value])
  return (
    <>
      <input
        aria-label={label}
        value={value}
        list={listId}
        required
        autocomplete="off"
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value.trim())}
      />
      <datalist id={listId}>
        {suggestions.map((sku) => (
          <option value={sku} />
        ))}
      </datalist>
    </>
  )
}
