/**
 * What the rest of the hub calls on webhook delivery (`app.webhooks`): the stock fan-out and the
 * order events, after the commit that added their `webhook_messages` rows. Domain code takes it as
 * a narrow dependency (`nudge: WebhookDelivery['nudge']`), so it never imports Fastify.
 */
export interface WebhookDelivery {
  /**
   * Starts delivering the new messages of one subscription, or of every active one, now rather
   * than at the next sweep (within a second). Never throws and never waits: calls that come while
   * one is under way are folded into one more after it, so calling after every commit is cheap.
   */
  nudge(subscriptionId?: number): void
}
