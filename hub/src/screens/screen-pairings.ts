import { and, eq, gt, lt, sql } from 'drizzle-orm'
import type { ApiKeyInfo, PairScreen, PairingClaimAnswer, ScreenInfo, ScreenPairing } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { apiKeys, screenPairings, sites } from '../db/schema/index.ts'
import { apiKeyInfo, insertApiKey, type ApiKeyStore } from '../auth/api-key-store.ts'
import { sameHash } from '../auth/api-key-format.ts'
import type { SecretBox } from '../devices/secret-box.ts'
import { HubError } from '../errors.ts'
import { hashClaim, newClaimSecret, newPairingCode, normalizeCode, sealContext } from './pairing-codes.ts'

const DUPLICATE_KEY = 1062
/** How often a waiting screen asks whether it was paired: an admin sees it connect within seconds. */
const POLL_SECONDS = 3

const notExpired = gt(screenPairings.expiresAt, sql`NOW(3)`)
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** The unexpired pairing of a code, locked for the rest of the transaction (a claim and a pairing never cross). */
async function lockPairing(tx: Tx, code: string) {
  const [row] = await tx
    .select()
    .from(screenPairings)
    .where(and(eq(screenPairings.code, code), notExpired))
    .limit(1)
    .for('update')
  return row
}

/** A screen's key as the console lists it: the one site it is limited to. */
export const screenInfo = (key: ApiKeyInfo): ScreenInfo => ({
  id: key.id,
  name: key.name,
  site: key.sites?.[0] ?? '',
  prefix: key.prefix,
  createdAt: key.createdAt,
  lastUsedAt: key.lastUsedAt,
  revokedAt: key.revokedAt,
})

/**
 * Floor screens paired from the console. A screen asks for a code (`request`); an admin pairs
 * the code (`pair`): a viewer key of kind `screen`, limited to one site, is issued and kept
 * sealed with the hub's key beside the code; the screen collects it once with its claim secret
 * (`claim`), which deletes the pairing. Codes expire after `ttlSeconds`. A paired screen is its
 * key: revoking the key unpairs it.
 */
export function createScreenPairings(deps: { db: Db; box: SecretBox; keys: ApiKeyStore; ttlSeconds: number }) {
  const { db, box, keys, ttlSeconds } = deps

  async function insertPairing(claimHash: string): Promise<string> {
    // 30^8 codes: a clash with a live one is all but impossible, and retried if it happens.
    for (let attempt = 0; ; attempt++) {
      const code = newPairingCode()
      try {
        await db.insert(screenPairings).values({ code, claimHash, expiresAt: sql`NOW(3) + INTERVAL ${ttlSeconds} SECOND` })
        return code
      } catch (err) {
        const errno = (err as { errno?: number; cause?: { errno?: number } }).cause?.errno ?? (err as { errno?: number }).errno
        if (errno !== DUPLICATE_KEY || attempt >= 3) throw err
      }
    }
  }

  async function screenKey(id: number): Promise<ApiKeyInfo> {
    const [row] = await db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.kind, 'screen')))
      .limit(1)
    if (!row) throw new HubError('SCREEN_NOT_FOUND', String(id))
    return apiKeyInfo(row)
  }

  return {
    /** A new code for a screen; expired ones are swept first, so the table holds only live codes. */
    async request(): Promise<ScreenPairing> {
      await db.delete(screenPairings).where(lt(screenPairings.expiresAt, sql`NOW(3)`))
      const claim = newClaimSecret()
      const code = await insertPairing(hashClaim(claim))
      const [row] = await db.select().from(screenPairings).where(eq(screenPairings.code, code)).limit(1)
      return { code, claim, expiresAt: row!.expiresAt.toISOString(), pollSeconds: POLL_SECONDS }
    },

    /**
     * The screen asks with its code and claim: still waiting, or its key (this once). An unknown,
     * expired or collected code, or a wrong claim, is PAIRING_NOT_FOUND alike: the screen asks
     * for a new code.
     */
    async claim(typedCode: string, claim: string): Promise<PairingClaimAnswer> {
      const code = normalizeCode(typedCode)
      return db.transaction(async (tx) => {
        const row = await lockPairing(tx, code)
        if (!row || !sameHash(hashClaim(claim), row.claimHash)) throw new HubError('PAIRING_NOT_FOUND')
        if (row.sealedKey === null || row.apiKeyId === null) return { status: 'waiting', expiresAt: row.expiresAt.toISOString() }
        const key = box.unseal(row.sealedKey, sealContext(code))
        await tx.delete(screenPairings).where(eq(screenPairings.code, code))
        const [issued] = await tx.select().from(apiKeys).where(eq(apiKeys.id, row.apiKeyId)).limit(1)
        const info = screenInfo(apiKeyInfo(issued!))
        return { status: 'paired', key, name: info.name, site: info.site }
      })
    },

    /** An admin pairs the screen showing `code`: its key is issued now and waits, sealed, for the screen. */
    async pair(input: PairScreen, actor: string): Promise<ScreenInfo> {
      const code = normalizeCode(input.code)
      return db.transaction(async (tx) => {
        const row = await lockPairing(tx, code)
        if (!row) throw new HubError('PAIRING_NOT_FOUND', input.code)
        if (row.apiKeyId !== null) throw new HubError('PAIRING_TAKEN', input.code)
        const [site] = await tx
          .select({ code: sites.code })
          .from(sites)
          .where(and(eq(sites.code, input.site), eq(sites.active, true)))
          .limit(1)
        if (!site) throw new HubError('UNKNOWN_SITE', input.site)
        const issued = await insertApiKey(tx, { name: input.name, role: 'viewer', sites: [input.site], kind: 'screen' }, actor)
        await tx
          .update(screenPairings)
          .set({ sealedKey: box.seal(issued.key, sealContext(code)), apiKeyId: issued.info.id })
          .where(eq(screenPairings.code, code))
        return screenInfo(issued.info)
      })
    },

    /** Paired screens (revoked ones too), of one site if named. */
    async list(site?: string): Promise<ScreenInfo[]> {
      const rows = await db.select().from(apiKeys).where(eq(apiKeys.kind, 'screen')).orderBy(apiKeys.id)
      return rows.map((row) => screenInfo(apiKeyInfo(row))).filter((screen) => !site || screen.site === site)
    },

    get: async (id: number): Promise<ScreenInfo> => screenInfo(await screenKey(id)),

    /** Unpairs a screen: its key is revoked (audited), and its open socket closes at the next key check. */
    async revoke(id: number, actor: string): Promise<ScreenInfo> {
      await screenKey(id)
      return screenInfo(await keys.revoke(String(id), actor))
    },
  }
}

export type ScreenPairings = ReturnType<typeof createScreenPairings>
