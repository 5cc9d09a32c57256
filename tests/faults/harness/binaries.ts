import { access, constants } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

/** Server binaries live in sbin on Debian, which a non-login PATH may leave out. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin']

const found = new Map<string, Promise<string>>()

/** The first of `names` found on PATH (or in the sbin folders), as an absolute path. */
export function findBinary(...names: string[]): Promise<string> {
  const key = names.join('|')
  let lookup = found.get(key)
  if (!lookup) {
    lookup = (async () => {
      const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS]
      for (const name of names)
        for (const dir of dirs) {
          const candidate = join(dir, name)
          if (
            await access(candidate, constants.X_OK).then(
              () => true,
              () => false,
            )
          )
            return candidate
        }
      throw new Error(`none of ${names.join(', ')} found on PATH or in ${EXTRA_DIRS.join(', ')}`)
    })()
    found.set(key, lookup)
  }
  return lookup
}
