import argon2 from 'argon2'

/** Shortest password accepted; length matters more than character classes (NIST SP 800-63B). */
export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 256

/** argon2id with the library's defaults (64 MiB, 3 passes), which OWASP's cheat sheet accepts. */
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id })

// Checked against when the account does not exist, so an unknown name costs what a wrong password does.
let dummy: Promise<string> | undefined

/** Whether `password` matches `hash`; with no hash, spends the same time and answers false. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (hash === undefined) {
    dummy ??= hashPassword('not-a-real-account-password')
    await argon2.verify(await dummy, password)
    return false
  }
  try {
    return await argon2.verify(hash, password)
  } catch {
    return false
  }
}
