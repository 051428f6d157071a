/**
 * The Chromium the browser tests drive (playwright-core, headless): `PROMOTE_IMAGE_CHROMIUM` when
 * set, else Debian's /usr/bin/chromium (GitHub's ubuntu runner image links one there too), else the
 * first of chromium, chromium-browser, google-chrome, google-chrome-stable on PATH. None is an error
 * that says how to install one (scripts/services.sh): these tests fail, never skip.
 */
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** The environment variable that names the browser's executable, first of all. */
export const CHROMIUM_ENV = 'PROMOTE_IMAGE_CHROMIUM'
/** Where Debian's package `chromium` puts it. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium'
/** Names looked up on PATH, in this order, when /usr/bin/chromium is not there. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The path of the Chromium to launch.
 * @param env the environment (PROMOTE_IMAGE_CHROMIUM, PATH)
 * @param debian where Debian's Chromium is looked for (tests point it elsewhere)
 * @throws Error when PROMOTE_IMAGE_CHROMIUM names no executable file, or when no Chromium is found,
 *   naming `sudo bash scripts/services.sh ensure` (which installs Debian's)
 */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env, debian = DEBIAN_CHROMIUM): string {
  const named = env[CHROMIUM_ENV]
  if (named) {
    if (executable(named)) return named
    throw new Error(`${CHROMIUM_ENV}=${named}: no executable file there`)
  }
  if (executable(debian)) return debian
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const name of CHROMIUM_NAMES)
    for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name)
  throw new Error(
    `no Chromium found (${debian}, or ${CHROMIUM_NAMES.join(', ')} on PATH; or set ${CHROMIUM_ENV}): ` +
      'the browser tests render with it. Run `sudo bash scripts/services.sh ensure`, which installs Debian’s (package chromium).'
  )
}
