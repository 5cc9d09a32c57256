import { and, eq, inArray, ne, sql } from 'drizzle-orm'
import type { CreateWebhook, IssuedWebhook, UpdateWebhook, WebhookView } from '@wh/shared'
import type { Database, Db } from '../db/connection.ts'
import { products, sites, webhookSubscriptions } from '../db/schema/index.ts'
import type { SecretBox } from '../devices/secret-box.ts'
import { HubError } from '../errors.ts'
import { recordAudit } from '../stock/audit-log.ts'
import { audited, messageCounts, newWebhookSecret, sealContext, subscriptionView, type SubscriptionRow } from './subscription-rows.ts'

/** Who the audit log says paused a subscription whose endpoint kept failing. */
export const DELIVERY_ACTOR = 'webhook-delivery'

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** A URL the hub will post to: absolute http(s), parsable, no credentials in it (they would be logged and shown). */
function checkUrl(url: string) {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new HubError('WEBHOOK_URL_INVALID', url)
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname || parsed.username || parsed.password) {
    throw new HubError('WEBHOOK_URL_INVALID', url)
  }
}

/**
 * Webhook subscriptions: created with a signing secret shown once and kept sealed, changed,
 * paused and resumed (by hand, or paused by delivery when the endpoint fails for long), deleted.
 * Every change is audited under its actor (entity `webhook`).
 */
export function createSubscriptionStore(deps: { database: Database; box: SecretBox }) {
  const { db, pool } = deps.database
  const { box } = deps

  async function read(tx: Db | Tx, id: number, lock = false): Promise<SubscriptionRow> {
    const query = tx.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).limit(1)
    const [row] = lock ? await query.for('update') : await query
    if (!row) throw new HubError('WEBHOOK_NOT_FOUND', String(id))
    return row
  }
  const view = async (row: SubscriptionRow) => subscriptionView(row, (await messageCounts(pool, [row.id])).get(row.id)!)
  /** The row, locked, unless it is deleted (409). */
  async function live(tx: Tx, id: number) {
    const row = await read(tx, id, true)
    if (row.status === 'deleted') throw new HubError('WEBHOOK_DELETED', String(id))
    return row
  }

  async function checkSkus(tx: Tx, skus: readonly string[] | null | undefined) {
    if (!skus) return
    const known = new Set(
      (
        await tx
          .select({ sku: products.sku })
          .from(products)
          .where(inArray(products.sku, [...skus]))
      ).map((r) => r.sku),
    )
    const unknown = skus.filter((s) => !known.has(s))
    if (unknown.length > 0)
      throw new HubError(
        'UNKNOWN_SKU',
        unknown.slice(0, 10).join(', '),
        unknown.map((sku) => ({ sku })),
      )
  }

  /** Changes the row and audits it, in one transaction; returns the subscription as it is after. */
  async function change(
    id: number,
    actor: string,
    action: string,
    apply: (tx: Tx, row: SubscriptionRow) => Promise<Partial<typeof webhookSubscriptions.$inferInsert> | null>,
    reason?: string | null,
  ): Promise<WebhookView> {
    const row = await db.transaction(async (tx) => {
      const before = await read(tx, id, true)
      const set = await apply(tx, before)
      if (!set) return before
      await tx
        .update(webhookSubscriptions)
        .set({ ...set, updatedAt: sql`CURRENT_TIMESTAMP(3)` })
        .where(eq(webhookSubscriptions.id, id))
      const after = await read(tx, id)
      const none = { pending: 0, dead: 0 }
      await recordAudit(tx, [
        {
          entity: 'webhook',
          entityId: String(id),
          action,
          actor,
          reason,
          before: audited(subscriptionView(before, none)),
          after: audited(subscriptionView(after, none)),
        },
      ])
      return after
    })
    return view(row)
  }

  /** Seals a new secret onto the row (in the caller's transaction) and returns it. */
  async function issueSecret(tx: Tx, id: number): Promise<string> {
    const secret = newWebhookSecret()
    await tx
      .update(webhookSubscriptions)
      .set({ secretSealed: box.seal(secret, sealContext(id)) })
      .where(eq(webhookSubscriptions.id, id))
    return secret
  }

  return {
    /** Every subscription not deleted (or of the status asked for), optionally of some sites. */
    async list(filter: { sites?: readonly string[]; status?: string }): Promise<WebhookView[]> {
      const rows = await db
        .select()
        .from(webhookSubscriptions)
        .where(
          and(
            filter.status ? eq(webhookSubscriptions.status, filter.status) : ne(webhookSubscriptions.status, 'deleted'),
            filter.sites ? inArray(webhookSubscriptions.site, [...filter.sites]) : undefined,
          ),
        )
        .orderBy(webhookSubscriptions.id)
      const counts = await messageCounts(
        pool,
        rows.map((r) => r.id),
      )
      return rows.map((r) => subscriptionView(r, counts.get(r.id)!))
    },

    get: async (id: number): Promise<WebhookView> => view(await read(db, id)),

    /** The secret to sign with, opened; for the delivery worker. */
    secretOf: (row: Pick<SubscriptionRow, 'id' | 'secretSealed'>) => box.unseal(row.secretSealed, sealContext(row.id)),

    async create(input: CreateWebhook, actor: string): Promise<IssuedWebhook> {
      checkUrl(input.url)
      const { id, secret } = await db.transaction(async (tx) => {
        const [site] = await tx
          .select({ code: sites.code })
          .from(sites)
          .where(and(eq(sites.code, input.site), eq(sites.active, true)))
          .limit(1)
        if (!site) throw new HubError('UNKNOWN_SITE', input.site)
        await checkSkus(tx, input.skus)
        const [inserted] = await tx
          .insert(webhookSubscriptions)
          .values({
            name: input.name,
            site: input.site,
            url: input.url,
            skus: input.skus ? JSON.stringify(input.skus) : null,
            events: JSON.stringify(input.events ?? ['stock']),
            // Replaced below: the seal's context is the row's id, known once it is inserted.
            secretSealed: '',
            createdBy: actor,
          })
          .$returningId()
        const newId = inserted!.id
        const issued = await issueSecret(tx, newId)
        const created = subscriptionView(await read(tx, newId), { pending: 0, dead: 0 })
        await recordAudit(tx, [{ entity: 'webhook', entityId: String(newId), action: 'create', actor, after: audited(created) }])
        return { id: newId, secret: issued }
      })
      return { subscription: await view(await read(db, id)), secret }
    },

    async update(id: number, input: UpdateWebhook, actor: string): Promise<WebhookView> {
      if (Object.keys(input).length === 0) throw new HubError('NOTHING_TO_CHANGE')
      if (input.url !== undefined) checkUrl(input.url)
      return change(id, actor, 'update', async (tx) => {
        await live(tx, id)
        await checkSkus(tx, input.skus)
        return {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.url !== undefined ? { url: input.url } : {}),
          ...(input.skus !== undefined ? { skus: input.skus ? JSON.stringify(input.skus) : null } : {}),
          ...(input.events !== undefined ? { events: JSON.stringify(input.events) } : {}),
        }
      })
    },

    /** Deleted: listed no more, owed nothing new, its undelivered messages never sent. */
    remove: (id: number, actor: string) =>
      change(id, actor, 'delete', async (tx) => {
        await live(tx, id)
        return { status: 'deleted', pausedReason: null }
      }),

    pause: (id: number, actor: string, reason?: string) =>
      change(
        id,
        actor,
        'pause',
        async (tx) => {
          const row = await live(tx, id)
          return row.status === 'paused' ? null : { status: 'paused', pausedReason: reason ?? `paused by ${actor}` }
        },
        reason,
      ),

    /** Active again, with a clean record: its failures so far no longer count toward a pause. */
    resume: (id: number, actor: string) =>
      change(id, actor, 'resume', async (tx) => {
        const row = await live(tx, id)
        return row.status === 'active' ? null : { status: 'active', pausedReason: null, failingSince: null }
      }),

    /** Paused by delivery: its endpoint has failed for longer than WEBHOOK_PAUSE_AFTER_MS. */
    pauseFailing: (id: number) =>
      change(id, DELIVERY_ACTOR, 'pause', async (tx) => {
        const row = await read(tx, id, true)
        if (row.status !== 'active' || !row.failingSince) return null
        return { status: 'paused', pausedReason: `its endpoint has failed since ${row.failingSince.toISOString()}` }
      }),

    async rotateSecret(id: number, actor: string): Promise<IssuedWebhook> {
      let secret = ''
      const subscription = await change(id, actor, 'rotate-secret', async (tx) => {
        await live(tx, id)
        secret = await issueSecret(tx, id)
        return {}
      })
      return { subscription, secret }
    },
  }
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>
