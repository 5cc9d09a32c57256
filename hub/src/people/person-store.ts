import { and, eq, ne, sql } from 'drizzle-orm'
import type { CreatePerson, Person, PersonRole, UpdatePerson } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { users } from '../db/schema/index.ts'
import { recordAudit, type AuditEntry } from '../stock/audit-log.ts'
import { HubError } from '../errors.ts'
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN } from './passwords.ts'

export type PersonRow = typeof users.$inferSelect

const sitesOf = (row: PersonRow): string[] | null => (row.sites === null ? null : (JSON.parse(row.sites) as string[]))
const sitesText = (sites: readonly string[] | null | undefined) => (sites ? JSON.stringify([...new Set(sites)].sort()) : null)

/** The row as the console shows it: never the hash. */
export function personInfo(row: PersonRow): Person {
  return {
    username: row.username,
    displayName: row.displayName,
    role: row.role as PersonRole,
    sites: sitesOf(row),
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  }
}

/** What the audit log keeps of a person: who they are and may do, never a password or its hash. */
const audited = (p: Person) => ({ displayName: p.displayName, role: p.role, sites: p.sites, active: p.active })

function checkPassword(password: string) {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) throw new HubError('PASSWORD_TOO_SHORT')
}

/**
 * The people who sign in: created by an admin (the first from the CLI), changed and disabled,
 * every change in the audit log under the actor's name. `onEnded` is told when a person's sessions
 * must end (disabled, password set), so it can delete them and close their sockets.
 */
export function createPersonStore(db: Db, onEnded: (userId: number) => Promise<void>) {
  async function row(username: string): Promise<PersonRow> {
    const [found] = await db.select().from(users).where(eq(users.username, username)).limit(1)
    if (!found) throw new HubError('USER_NOT_FOUND', username)
    return found
  }
  type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
  /** Refuses to leave no active admin: someone must be able to sign in and manage people. */
  async function keepAnAdmin(tx: Tx, except: number) {
    const [other] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true), ne(users.id, except)))
      .limit(1)
      .for('update')
    if (!other) throw new HubError('LAST_ADMIN')
  }

  return {
    async create(input: CreatePerson, actor: string): Promise<Person> {
      checkPassword(input.password)
      const passwordHash = await hashPassword(input.password)
      return db.transaction(async (tx) => {
        const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1)
        if (taken) throw new HubError('USERNAME_TAKEN', input.username)
        const values = {
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          passwordHash,
          sites: sitesText(input.sites),
        }
        await tx.insert(users).values(values)
        const [created] = await tx.select().from(users).where(eq(users.username, input.username)).limit(1)
        const person = personInfo(created!)
        await recordAudit(tx, [{ entity: 'user', entityId: person.username, action: 'create', actor, after: audited(person) }])
        return person
      })
    },

    list: async (): Promise<Person[]> => (await db.select().from(users).orderBy(users.username)).map(personInfo),
    get: async (username: string): Promise<Person> => personInfo(await row(username)),
    /** The row to check a sign-in against; undefined for an unknown name. */
    forSignIn: async (username: string): Promise<PersonRow | undefined> =>
      (await db.select().from(users).where(eq(users.username, username)).limit(1))[0],
    /** The signed-in person of a session, re-read on every request so a change applies at once. */
    byId: async (id: number): Promise<PersonRow | undefined> => (await db.select().from(users).where(eq(users.id, id)).limit(1))[0],

    async update(username: string, input: UpdatePerson, actor: string): Promise<Person> {
      if (input.password !== undefined) checkPassword(input.password)
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password)
      const { before, after, id } = await db.transaction(async (tx) => {
        const [current] = await tx.select().from(users).where(eq(users.username, username)).limit(1).for('update')
        if (!current) throw new HubError('USER_NOT_FOUND', username)
        const losesAdmin = current.role === 'admin' && current.active && (input.active === false || (input.role ?? 'admin') !== 'admin')
        if (losesAdmin) await keepAnAdmin(tx, current.id)
        await tx
          .update(users)
          .set({
            ...(input.displayName !== undefined && { displayName: input.displayName }),
            ...(input.role !== undefined && { role: input.role }),
            ...(input.sites !== undefined && { sites: sitesText(input.sites) }),
            ...(input.active !== undefined && { active: input.active }),
            ...(passwordHash !== undefined && { passwordHash, passwordChangedAt: sql`CURRENT_TIMESTAMP(3)` }),
          })
          .where(eq(users.id, current.id))
        const [changed] = await tx.select().from(users).where(eq(users.id, current.id)).limit(1)
        const [b, a] = [personInfo(current), personInfo(changed!)]
        const action = input.active === false && current.active ? 'disable' : input.active === true && !current.active ? 'enable' : 'update'
        const entries: AuditEntry[] = [{ entity: 'user', entityId: username, action, actor, before: audited(b), after: audited(a) }]
        if (passwordHash) entries.push({ entity: 'user', entityId: username, action: 'set_password', actor })
        await recordAudit(tx, entries)
        return { before: b, after: a, id: current.id }
      })
      // A disabled account or a password set by someone else ends every session at once.
      if ((before.active && !after.active) || passwordHash) await onEnded(id)
      return after
    },

    /** A person's own new password; the caller ends the person's other sessions. */
    async changePassword(id: number, next: string): Promise<void> {
      checkPassword(next)
      const passwordHash = await hashPassword(next)
      await db.transaction(async (tx) => {
        const [current] = await tx.select().from(users).where(eq(users.id, id)).limit(1)
        if (!current) throw new HubError('USER_NOT_FOUND')
        await tx
          .update(users)
          .set({ passwordHash, passwordChangedAt: sql`CURRENT_TIMESTAMP(3)` })
          .where(eq(users.id, id))
        await recordAudit(tx, [{ entity: 'user', entityId: current.username, action: 'change_password', actor: current.username }])
      })
    },

    async signedIn(id: number): Promise<void> {
      await db
        .update(users)
        .set({ lastSignInAt: sql`CURRENT_TIMESTAMP(3)` })
        .where(eq(users.id, id))
    },
  }
}

export type PersonStore = ReturnType<typeof createPersonStore>
