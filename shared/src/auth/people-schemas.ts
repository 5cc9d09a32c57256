import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'
import { PersonRoles } from './roles.ts'

/** People who sign in to the console, and their sessions. Passwords are never sent back. */

export const PersonRoleSchema = Type.Enum(PersonRoles)
const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' })
// The length rule is the hub's (PASSWORD_TOO_SHORT names it); the schema only bounds the size.
const Password = Type.String({ minLength: 1, maxLength: 256 })
const Sites = Type.Array(IdentifierSchema, { minItems: 1, maxItems: 64, uniqueItems: true })

export const SignInSchema = Type.Object({ username: Username, password: Password }, { additionalProperties: false })

export const PersonSchema = Type.Object({
  username: Type.String(),
  displayName: Type.String(),
  role: PersonRoleSchema,
  sites: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: every site' }),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSignInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

/** The signed-in person and the CSRF token every change of this session must carry (`x-csrf-token`). */
export const SessionInfoSchema = Type.Object({ person: PersonSchema, csrfToken: Type.String() })

export const ChangePasswordSchema = Type.Object({ current: Password, next: Password }, { additionalProperties: false })

export const CreatePersonSchema = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 128 }),
    role: PersonRoleSchema,
    password: Password,
    sites: Type.Optional(Sites),
  },
  {
    additionalProperties: false,
    examples: [{ username: 'ana', displayName: 'Ana Ruiz', role: 'supervisor', password: 'long enough to pass' }],
  },
)

export const UpdatePersonSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    role: Type.Optional(PersonRoleSchema),
    sites: Type.Optional(Type.Union([Sites, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
    /** A new password set by an admin; every session of the person ends. */
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const PersonParamsSchema = Type.Object({ username: Username }, { additionalProperties: false })
export const PersonListSchema = Type.Object({ people: Type.Array(PersonSchema) })

export type SignIn = Static<typeof SignInSchema>
export type Person = Static<typeof PersonSchema>
export type SessionInfo = Static<typeof SessionInfoSchema>
export type CreatePerson = Static<typeof CreatePersonSchema>
export type UpdatePerson = Static<typeof UpdatePersonSchema>
