/** WebSocket close codes the hub uses, so a client knows why it was closed. */
export const LiveCloseCodes = {
  /** The hub is shutting down; reconnect elsewhere or later. */
  goingAway: 1001,
  /** The client did not read fast enough and was dropped; reconnect and resume. */
  slowConsumer: 4008,
  /** The screen's API key was revoked (or its role lowered): reconnecting with it will not help. */
  unauthorized: 4401,
} as const
