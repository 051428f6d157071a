/**
 * Writes an htpasswd file (bcrypt, as distribution's `auth: htpasswd` requires) with `htpasswd -Bbn`
 * from apache2-utils, one line per user.
 */
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Writes `dir/htpasswd` for `users` (name → password) and returns its path. */
export async function writeHtpasswd(dir: string, users: Record<string, string>): Promise<string> {
  const lines = Object.entries(users).map(([user, password]) =>
    execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' }).trim()
  )
  const file = join(dir, 'htpasswd')
  await writeFile(file, lines.join('\n') + '\n')
  return file
}
