import { and, eq, isNull, or, sql } from 'drizzle-orm'
import type { ApiKeyInfo, ApiKeyKind, ApiRole, CreateApiKey, IssuedApiKey } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { apiKeys } from '../db/schema/index.ts'
import { recordAudit } from '../stock/audit-log.ts'
import { HubError } from '../errors.ts'
import { hashApiKey, newApiKey } from './api-key-format.ts'

export type ApiKeyRow = typeof apiKeys.$inferSelect
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export const keySites = (row: ApiKeyRow): string[] | null => (row.sites === null ? null : (JSON.parse(row.sites) as string[]))

/** The row as lists show it: never the hash. */
export function apiKeyInfo(row: ApiKeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role as ApiRole,
    kind: row.kind as ApiKeyKind,
    prefix: row.prefix,
    sites: keySites(row),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  }
}

/**
 * Issues a key inside `tx` (so a screen's pairing and its key are written together) and audits
 * it; the answer is the only place the key ever appears.
 */
export async function insertApiKey(tx: Tx, input: CreateApiKey & { kind?: ApiKeyKind }, actor: string): Promise<IssuedApiKey> {
  if (input.role === 'admin' && input.sites) throw new HubError('ADMIN_KEY_SCOPED')
  const { prefix, key } = newApiKey()
  const kind = input.kind ?? 'api'
  const sites = input.sites ? JSON.stringify([...new Set(input.sites)].sort()) : null
  const [inserted] = await tx
    .insert(apiKeys)
    .values({ name: input.name, role: input.role, kind, prefix, keyHash: hashApiKey(key), sites })
    .$returningId()
  const id = inserted!.id
  const [created] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1)
  const after = { name: input.name, role: input.role, kind, prefix, sites: keySites(created!) }
  await recordAudit(tx, [{ entity: 'api_key', entityId: String(id), action: 'create', actor, after }])
  return { key, info: apiKeyInfo(created!) }
}

/** Creating, listing and revoking keys (the CLI and the admin API), and finding one to check a request. */
export function createApiKeyStore(db: Db) {
  const byIdOrPrefix = (idOrPrefix: string) =>
    /^[0-9a-f]{12}$/.test(idOrPrefix) ? eq(apiKeys.prefix, idOrPrefix) : eq(apiKeys.id, Number(idOrPrefix))

  async function read(idOrPrefix: string): Promise<ApiKeyRow> {
    const [row] = await db.select().from(apiKeys).where(byIdOrPrefix(idOrPrefix)).limit(1)
    if (!row) throw new HubError('API_KEY_NOT_FOUND', idOrPrefix)
    return row
  }

  return {
    /** Issues a key; the answer is the only place the key ever appears. */
    create: (input: CreateApiKey, actor = 'admin'): Promise<IssuedApiKey> => db.transaction((tx) => insertApiKey(tx, input, actor)),

    async list(): Promise<ApiKeyInfo[]> {
      return (await db.select().from(apiKeys).orderBy(apiKeys.id)).map(apiKeyInfo)
    },

    get: async (idOrPrefix: string): Promise<ApiKeyInfo> => apiKeyInfo(await read(idOrPrefix)),

    /** Revokes a key (again is a no-op); hubs refuse it within their key cache's lifetime. */
    async revoke(idOrPrefix: string, actor = 'admin'): Promise<ApiKeyInfo> {
      const row = await read(idOrPrefix)
      if (row.revokedAt === null) {
        await db.transaction(async (tx) => {
          await tx
            .update(apiKeys)
            .set({ revokedAt: sql`CURRENT_TIMESTAMP(3)` })
            .where(and(eq(apiKeys.id, row.id), isNull(apiKeys.revokedAt)))
          await recordAudit(tx, [
            {
              entity: 'api_key',
              entityId: String(row.id),
              action: 'revoke',
              actor,
              before: { name: row.name, role: row.role, prefix: row.prefix },
              after: { revoked: true },
            },
          ])
        })
      }
      return apiKeyInfo(await read(String(row.id)))
    },

    async findByPrefix(prefix: string): Promise<ApiKeyRow | undefined> {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix)).limit(1)
      return row
    },

    /** Marks a key used now, unless it was marked within the last minute. */
    async touch(id: number): Promise<void> {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: sql`CURRENT_TIMESTAMP(3)` })
        .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), sql`${apiKeys.lastUsedAt} < NOW(3) - INTERVAL 1 MINUTE`)))
    },
  }
}

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>
