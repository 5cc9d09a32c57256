import { useState } from 'preact/hooks'
import type { AuditFilter } from '@wh/shared'
import { Switch } from '../../components.tsx'

/** The entities and actions the hub records, offered as suggestions (any text may be typed). */
const ENTITIES = [
  'held_event',
  'movement',
  'purchase_order',
  'order',
  'stock_level',
  'lot',
  'cache',
  'reconciliation_run',
  'import',
  'product',
  'location',
  'site',
  'device',
  'api_key',
  'user',
]
const ACTIONS = [
  'approve',
  'reject',
  'void',
  'apply',
  'create',
  'update',
  'delete',
  'renumber',
  'confirm',
  'cancel',
  'expire',
  'reconcile',
  'request',
  'revoke',
]

/** A datetime-local input's value (the browser's local time) as an instant, and back. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined)
const toLocal = (iso: string | undefined) => {
  if (!iso) return ''
  const d = new Date(iso)
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}

const TEXT_FIELDS = [
  { name: 'entity', label: 'Entity', list: 'audit-entities' },
  { name: 'entityId', label: 'Entity id' },
  { name: 'action', label: 'Action', list: 'audit-actions' },
  { name: 'actor', label: 'Actor' },
] as const

/**
 * The filter form: applied on submit; "My changes only" applies at once (the signed-in person as
 * actor), as the quick filter most people want.
 */
export function AuditFilterForm({ applied, me, apply }: { applied: AuditFilter; me: string; apply: (filter: AuditFilter) => void }) {
  const [draft, setDraft] = useState<AuditFilter>(applied)
  const mine = applied.actor === me
  const set = (name: keyof AuditFilter, value: string | undefined) => setDraft({ ...draft, [name]: value || undefined })

  return (
    <form
      class="audit-filter"
      onSubmit={(e) => {
        e.preventDefault()
        apply(draft)
      }}
    >
      <div class="grid">
        {TEXT_FIELDS.map((f) => (
          <label>
            {f.label}
            <input
              name={f.name}
              value={draft[f.name] ?? ''}
              list={'list' in f ? f.list : undefined}
              disabled={f.name === 'actor' && mine}
              onInput={(e) => set(f.name, (e.currentTarget as HTMLInputElement).value.trim())}
            />
          </label>
        ))}
        <label>
          From
          <input
            type="datetime-local"
            value={toLocal(draft.from)}
            onInput={(e) => set('from', toInstant((e.currentTarget as HTMLInputElement).value))}
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            value={toLocal(draft.to)}
            onInput={(e) => set('to', toInstant((e.currentTarget as HTMLInputElement).value))}
          />
        </label>
      </div>
      <datalist id="audit-entities">
        {ENTITIES.map((e) => (
          <option value={e} />
        ))}
      </datalist>
      <datalist id="audit-actions">
        {ACTIONS.map((a) => (
          <option value={a} />
        ))}
      </datalist>
      <div class="audit-filter-actions">
        <Switch
          class="inline-switch"
          checked={mine}
          onFlip={(on) => {
            const next = { ...draft, actor: on ? me : undefined }
            setDraft(next)
            apply(next)
          }}
        >
          My changes only
        </Switch>
        <button type="submit">Apply filter</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft({})
            apply({})
          }}
        >
          Clear
        </button>
      </div>
    </form>
  )
}
