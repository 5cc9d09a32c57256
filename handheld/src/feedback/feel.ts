/** How an outcome feels in the hand: one of three, told apart by ear and by touch. */
export type Feel = 'applied' | 'held' | 'rejected'

/** The worst of several outcomes settled together (a backlog sent on reconnect): one signal, not 200. */
export function worstFeel(feels: Iterable<Feel>): Feel | undefined {
  let worst: Feel | undefined
  for (const feel of feels) {
    if (feel === 'rejected') return feel
    if (feel === 'held' || !worst) worst = feel
  }
  return worst
}
