import { Time } from '../../components.tsx'
import { instantOf } from './format.ts'

/** Chooses the instant the stock is shown as of: a past date and time, or now (live). */
export function AsOfPicker({ at, setAt }: { at: string | null; setAt: (at: string | null) => void }) {
  function submit(event: Event) {
    event.preventDefault()
    setAt(instantOf(String(new FormData(event.currentTarget as HTMLFormElement).get('at') ?? '')))
  }
  return (
    <form onSubmit={submit} class="as-of">
      <label for="stock-as-of">Stock as of (your local time)</label>
      <fieldset role="group">
        <input id="stock-as-of" name="at" type="datetime-local" step="1" required />
        <button type="submit">Show</button>
        {at && (
          <button type="button" class="secondary" onClick={() => setAt(null)}>
            Now
          </button>
        )}
      </fieldset>
      <p>
        {at ? (
          <>
            Showing on hand as of <Time at={at} />, from the ledger; reservations are not kept for the past.
          </>
        ) : (
          'Showing live stock.'
        )}
      </p>
    </form>
  )
}
