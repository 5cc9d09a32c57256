import { useState } from 'preact/hooks'

/**
 * Keyset pages of a list the hub answers with `next`: the cursor to ask with, and buttons to the
 * previous and next page. The cursors seen are kept so "Previous page" can go back.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([])
  return {
    after: cursors.at(-1),
    /** Back to the first page, as when the filters change. */
    reset: () => setCursors([]),
    /** The buttons, under the list whose `next` is given (a plain call, so the buttons keep their focus). */
    pageButtons: (next: string | null | undefined) =>
      cursors.length > 0 || next ? (
        <div class="button-row">
          {cursors.length > 0 && (
            <button type="button" class="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
              Previous page
            </button>
          )}
          {next && (
            <button type="button" class="secondary" onClick={() => setCursors([...cursors, next])}>
              Next page
            </button>
          )}
        </div>
      ) : null,
  }
}

/** The text a search form's `q` field submitted, trimmed; a new search starts at the first page again. */
export function useSearch(reset: () => void) {
  const [q, setQ] = useState('')
  function search(event: Event) {
    event.preventDefault()
    setQ(String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? '').trim())
    reset()
  }
  return { q, search }
}
