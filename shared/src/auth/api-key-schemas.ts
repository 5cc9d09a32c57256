import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'
import { ApiRoles } from './roles.ts'

export * from './roles.ts'

/**
 * API keys: who may call the hub's HTTP API and floor-screen socket, and what they may do.
 * `viewer` reads stock and watches the floor screen; `orders` also checks stock and reserves,
 * confirms and cancels orders; `admin` does everything. `metrics` may only scrape `/metrics`.
 */

/**
 * A key as issued: `whk_` + a 12-hex-digit prefix (the lookup id, safe to show) + `_` + 43
 * base64url characters (256 random bits, the secret part).
 */
export const API_KEY_PATTERN = '^whk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$'

export const ApiRoleSchema = Type.Enum(ApiRoles)

/** `api` for programs; `screen` for a floor screen paired from the console. */
export const ApiKeyKinds = ['api', 'screen'] as const
export type ApiKeyKind = (typeof ApiKeyKinds)[number]

export const CreateApiKeySchema = Type.Object(
  {
    name: IdentifierSchema,
    role: ApiRoleSchema,
    /** Sites the key may order for and read the catalog of; absent for every site. Not for admin keys. */
    sites: Type.Optional(Type.Array(IdentifierSchema, { minItems: 1, maxItems: 64, uniqueItems: true })),
  },
  { additionalProperties: false, examples: [{ name: 'ordering-site', role: 'orders', sites: ['dc1'] }] },
)

/** A key as the API shows it: never the key itself, only its prefix. */
export const ApiKeyInfoSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: ApiRoleSchema,
  kind: Type.Enum(ApiKeyKinds),
  prefix: Type.String({ description: 'The part after `whk_` that names the key in lists and logs' }),
  sites: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: every site' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

export const ApiKeyListSchema = Type.Object({ keys: Type.Array(ApiKeyInfoSchema) })

/** The answer of a creation: the key in full, shown this once. */
export const IssuedApiKeySchema = Type.Object({ key: Type.String(), info: ApiKeyInfoSchema })

/** A key by its numeric id or its 12-hex-digit prefix. */
export const ApiKeyParamsSchema = Type.Object(
  { id: Type.String({ pattern: '^(?:[0-9]{1,12}|[0-9a-f]{12})$' }) },
  { additionalProperties: false },
)

/** Who the caller is, for a client checking its key (the dashboard does before it connects). */
export const ApiKeySelfSchema = Type.Object({
  name: Type.String(),
  role: ApiRoleSchema,
  prefix: Type.String(),
  sites: Type.Union([Type.Array(Type.String()), Type.Null()]),
})

export type CreateApiKey = Static<typeof CreateApiKeySchema>
export type ApiKeyInfo = Static<typeof ApiKeyInfoSchema>
export type IssuedApiKey = Static<typeof IssuedApiKeySchema>
export type ApiKeySelf = Static<typeof ApiKeySelfSchema>
