/**
 * Which Chromium the browser tests launch (helpers/chromium.ts): PROMOTE_IMAGE_CHROMIUM first, then
 * Debian's /usr/bin/chromium, then chromium, chromium-browser, google-chrome, google-chrome-stable
 * on PATH; none is an error naming scripts/services.sh (the browser tests fail, never skip).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumExecutable } from './helpers/chromium.js'

describe('chromiumExecutable', () => {
  let work: string
  const exe = async (dir: string, name: string, mode = 0o755): Promise<string> => {
    await mkdir(join(work, dir), { recursive: true })
    const file = join(work, dir, name)
    await writeFile(file, '#!/bin/sh\n')
    await chmod(file, mode)
    return file
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pi-chromium-path-'))
  })
  afterAll(async () => {
    await rm(work, { recursive: true, force: true })
  })

  it('PROMOTE_IMAGE_CHROMIUM first, even when Debian’s is there; one that is not executable is an error', async () => {
    const debian = await exe('usr-bin', 'chromium')
    const named = await exe('opt', 'chrome')
    expect(chromiumExecutable({ PROMOTE_IMAGE_CHROMIUM: named, PATH: '' }, debian)).toBe(named)
    const plain = await exe('opt', 'not-executable', 0o644)
    expect(() => chromiumExecutable({ PROMOTE_IMAGE_CHROMIUM: plain }, debian)).toThrow(
      new Error(`PROMOTE_IMAGE_CHROMIUM=${plain}: no executable file there`)
    )
    expect(chromiumExecutable({ PATH: join(work, 'opt') }, debian)).toBe(debian)
  })

  it('without Debian’s: chromium, chromium-browser, google-chrome, google-chrome-stable on PATH, in that order', async () => {
    const missing = join(work, 'nowhere', 'chromium')
    const chrome = await exe('a', 'google-chrome')
    const browser = await exe('b', 'chromium-browser')
    const path = [join(work, 'a'), join(work, 'b')].join(':')
    expect(chromiumExecutable({ PATH: path }, missing)).toBe(browser)
    expect(chromiumExecutable({ PATH: join(work, 'a') }, missing)).toBe(chrome)
    const stable = await exe('c', 'google-chrome-stable')
    expect(chromiumExecutable({ PATH: join(work, 'c') }, missing)).toBe(stable)
  })

  it('none: an error saying how to install one', () => {
    const missing = join(work, 'nowhere', 'chromium')
    expect(() => chromiumExecutable({ PATH: join(work, 'nowhere') }, missing)).toThrow(
      new Error(
        `no Chromium found (${missing}, or chromium, chromium-browser, google-chrome, google-chrome-stable on PATH; or set PROMOTE_IMAGE_CHROMIUM): ` +
          'the browser tests render with it. Run `sudo bash scripts/services.sh ensure`, which installs Debian’s (package chromium).'
      )
    )
  })
})
