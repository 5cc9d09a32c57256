import { useEffect, useRef } from 'preact/hooks'

/**
 * A heading that takes the focus once its record is shown (`ready`): a screen reader announces
 * what opened, and on a handheld, where the record sits below its list, the page scrolls to it.
 * The heading needs `tabIndex={-1}` to take focus.
 */
export function useFocusWhenShown<T extends HTMLElement>(ready: boolean) {
  const ref = useRef<T>(null)
  const done = useRef(false)
  useEffect(() => {
    const heading = ref.current
    if (!ready || done.current || !heading) return
    done.current = true
    heading.focus({ preventScroll: true })
    const { top, bottom } = heading.getBoundingClientRect()
    if (top < 0 || bottom > window.innerHeight) heading.scrollIntoView({ block: 'start' })
  }, [ready])
  return ref
}
