/** WebSocket close codes the hub uses, so a client knows why it was closed. */
export const LiveCloseCodes = {
  /** The hub is shutting down; reconnect elsewhere or later. */
  goingAway: 1001,
  /** The client did not read fast enough and was dropped; reconnect and resume. */
  slowConsumer: 4008,
  /** The socket names no site, or one the hub does not know (`/live?site=CODE`): fix the address. */
  unknownSite: 4400,
  /** The screen's API key was revoked (or its role lowered): reconnecting with it will not help. */
  unauthorized: 4401,
  /** The screen's API key is limited to other sites: reconnecting with it will not help. */
  forbiddenSite: 4403,
} as const
