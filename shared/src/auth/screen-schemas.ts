import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'

/**
 * Floor screens paired from the console. A screen without a key asks the hub for a pairing code
 * and shows it; an admin enters the code (with a name and a site) in the console; the hub issues
 * a viewer key of kind `screen` limited to that site, which the screen collects once with the
 * claim secret only it holds, and keeps.
 */

/** 8 characters of an alphabet without look-alikes (no 0, 1, I, L, O, U); shown as `ABCD-EFGH`. */
export const PAIRING_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A code as a person types it: either case, with or without the dash or a space in the middle. */
const TypedCode = Type.String({ pattern: '^[A-Za-z0-9]{4}[- ]?[A-Za-z0-9]{4}$', examples: ['K7QM-3XRT'] })

/** The hub's answer to a screen asking to be paired. */
export const ScreenPairingSchema = Type.Object({
  code: Type.String({ description: 'What the screen shows and an admin types in the console' }),
  claim: Type.String({ description: 'The secret only the screen holds; it collects its key with it' }),
  expiresAt: Type.String({ format: 'date-time' }),
  pollSeconds: Type.Integer({ description: 'How often the screen asks whether it was paired' }),
})

export const ClaimPairingSchema = Type.Object(
  { code: TypedCode, claim: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', examples: ['Zq3v9-Lm2xW8nB4cR7tY1uE6oP0aS5dF_gH2jK8lM1w'] }) },
  { additionalProperties: false },
)

/** Not paired yet (ask again), or paired: the key, this once. */
export const PairingClaimAnswerSchema = Type.Union([
  Type.Object({ status: Type.Literal('waiting'), expiresAt: Type.String({ format: 'date-time' }) }),
  Type.Object({ status: Type.Literal('paired'), key: Type.String(), name: Type.String(), site: Type.String() }),
])

export const PairScreenSchema = Type.Object(
  { code: TypedCode, name: IdentifierSchema, site: IdentifierSchema },
  { additionalProperties: false, examples: [{ code: 'K7QM-3XRT', name: 'dock-2', site: 'dc1' }] },
)

/** A paired screen: its key as lists show it (never the key itself). */
export const ScreenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  site: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

export const ScreenListSchema = Type.Object({ screens: Type.Array(ScreenSchema) })
export const ScreenQuerySchema = Type.Object({ site: Type.Optional(IdentifierSchema) }, { additionalProperties: false })
export const ScreenParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })

export type ScreenPairing = Static<typeof ScreenPairingSchema>
export type ClaimPairing = Static<typeof ClaimPairingSchema>
export type PairingClaimAnswer = Static<typeof PairingClaimAnswerSchema>
export type PairScreen = Static<typeof PairScreenSchema>
export type ScreenInfo = Static<typeof ScreenSchema>
