/** WebSocket close codes the hub uses, so a client knows why it was closed. */
export const LiveCloseCodes = {
  /** The hub is shutting down; reconnect elsewhere or later. */
  goingAway: 1001,
  /** The client did not read fast enough and was dropped; reconnect and resume. */
  slowConsumer: 4008,
} as const
