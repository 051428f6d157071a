/**
 * `require-verification` (`--require-verification`): a promotion must be verified. An action input
 * filled from a secret that is not set arrives empty, so `verify-key: ${{ secrets.COSIGN_PUB }}`
 * alone silently turns the gate off; with require-verification the run is refused before any
 * request, naming the input and what to give, and following the message (giving the key) promotes
 * the signed image. Through the action (inputs read through the schema) and the CLI (`copy`,
 * `promote -f`), on real registries behind recording proxies (no request reaches a target).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { RUN_ENV, startProofWorld, writesAt, type ProofWorld } from './interfaces-setup.js'

let w: ProofWorld
const saved = { ...process.env }
beforeAll(async () => {
  w = await startProofWorld('r')
}, 60_000)
afterAll(async () => {
  process.env = saved
  await w?.stop()
})

const GIVE =
  'give verify-key, certificate-identity or certificate-identity-regexp with certificate-oidc-issuer, or policy'
const FLAGS_GIVE =
  'give --verify-key, --certificate-identity or --certificate-identity-regexp with --certificate-oidc-issuer, or --policy'
const UNSET = '(a value from a secret or variable that is not set is empty, and gives none)'

/** Requests that reached the staging registry and the target, and the writes at the target. */
function seen(): { staging: number; target: number; writes: string[] } {
  return { staging: w.ps.count('*'), target: w.pd.count('*'), writes: writesAt(w.pd) }
}

describe('the action', () => {
  let n = 0
  const act = (inputs: Record<string, string>) =>
    runAction(w.dir, `require${++n}`, { tags: 'v1', ...inputs }, RUN_ENV)

  it('verify-key from an unset secret (empty) with require-verification: failed before any request', async () => {
    w.ps.reset()
    w.pd.reset()
    const r = await act({
      source: `${w.ps.host}/r/app:v1`,
      targets: `${w.pd.host}/prod/app`,
      'verify-key': '',
      'require-verification': 'true'
    })
    expect(r.failed).toBe(1)
    expect(r.log.split('\n').filter(l => l.startsWith('::error'))).toEqual([
      `::error::input "require-verification": "true" needs something to verify, and none was given: ${GIVE} ${UNSET}`
    ])
    expect(seen()).toEqual({ staging: 0, target: 0, writes: [] })
  })

  it('the same without require-verification: the gate is off and the image is promoted unverified', async () => {
    w.pd.reset()
    const r = await act({
      source: `${w.ps.host}/r/unsigned:v1`,
      targets: `${w.pd.host}/prod/off`,
      'verify-key': ''
    })
    expect(r.failed).toBeUndefined()
    expect(r.outputs.digest).toBe(w.digests.unsigned)
  })

  it('following the message (verify-key given): the signed image is verified and promoted', async () => {
    w.pd.reset()
    const r = await act({
      source: `${w.ps.host}/r/app:v1`,
      targets: `${w.pd.host}/prod/app`,
      'verify-key': w.files.pub,
      'require-verification': 'true'
    })
    expect(r.failed).toBeUndefined()
    expect(r.outputs.digest).toBe(w.digests.app)
    expect(writesAt(w.pd).length).toBeGreaterThan(0)
  })

  it('require-verification: maybe is refused naming the input', async () => {
    const r = await act({
      source: `${w.ps.host}/r/app:v1`,
      targets: `${w.pd.host}/prod/app`,
      'require-verification': 'maybe'
    })
    expect(r.log.split('\n').filter(l => l.startsWith('::error'))).toEqual([
      '::error::input "require-verification": "maybe" must be true or false'
    ])
  })
})

describe('the CLI', () => {
  it('copy --require-verification with nothing to verify: exit 2 before any request; with --verify-key: copied', async () => {
    w.ps.reset()
    w.pd.reset()
    const args = [`${w.ps.host}/r/app:v1`, `${w.pd.host}/cli/app:v1`]
    const refused = await runCliFromSource(['copy', '--require-verification', ...args])
    expect([refused.status, refused.stdout, refused.stderr]).toEqual([
      2,
      '',
      `promote-image: --require-verification "true": needs something to verify, and none was given: ${FLAGS_GIVE} ${UNSET}\n(promote-image --help shows the usage)\n`
    ])
    expect(seen()).toEqual({ staging: 0, target: 0, writes: [] })
    const copied = await runCliFromSource([
      'copy',
      '--require-verification',
      '--verify-key',
      w.files.pub,
      ...args
    ])
    expect([copied.status, copied.stdout]).toEqual([0, `${w.digests.app}\n`])
  })

  it('promote -f --require-verification: the images nothing verifies are named; each given its key: promoted', async () => {
    const file = join(w.dir, 'require.yaml')
    const images = (second: string) => [
      'defaults:',
      `  targets: [${w.pd.host}/file]`,
      'images:',
      `  - { name: app, source: "${w.ps.host}/r/app:v1", tags: [v1]${second} }`,
      `  - { name: ix, source: "${w.ps.host}/r/ix:v1", tags: [v1]${second} }`,
      `  - { name: tool, source: "${w.ps.host}/r/app:v1", tags: [v2]${second} }`
    ]
    await writeFile(file, images('').join('\n'))
    w.ps.reset()
    w.pd.reset()
    const refused = await runCliFromSource(['promote', '-f', file, '--require-verification'])
    expect([refused.status, refused.stderr]).toEqual([
      2,
      `promote-image: --require-verification "true": needs something to verify for images[0] (name "app"), images[1] (name "ix"), images[2] (name "tool") of ${file}, and none was given: ${FLAGS_GIVE}, or verify-key, certificate-identity or policy in the file for each image ${UNSET}\n(promote-image --help shows the usage)\n`
    ])
    expect(seen()).toEqual({ staging: 0, target: 0, writes: [] })
    // following its first way out: the flag
    const flag = await runCliFromSource([
      'promote',
      '-f',
      file,
      '--require-verification',
      '--verify-key',
      w.files.pub
    ])
    expect([flag.status, flag.stdout]).toEqual([
      0,
      `app ${w.digests.app}\nix ${w.digests.ix}\ntool ${w.digests.app}\n`
    ])
    // its second: the file's key for each image
    await writeFile(file, images(', verify-key: cosign.pub').join('\n'))
    const promoted = await runCliFromSource(['promote', '-f', file, '--require-verification'])
    expect([promoted.status, promoted.stdout]).toEqual([
      0,
      `app ${w.digests.app}\nix ${w.digests.ix}\ntool ${w.digests.app}\n`
    ])
  })

  describe('a file that gives some images their key (newuser4 finding 8)', () => {
    const file = () => join(w.dir, 'require-some.yaml')
    const lines = (defaultsKey: string) => [
      'defaults:',
      `  targets: [${w.pd.host}/some]`,
      ...(defaultsKey ? [`  ${defaultsKey}`] : []),
      'images:',
      `  - { name: app, source: "${w.ps.host}/r/app:v1", tags: [v1], verify-key: cosign.pub }`,
      `  - { name: ix, source: "${w.ps.host}/r/ix:v1", tags: [v1] }`
    ]

    it('the advice names only the file: a flag would be refused', async () => {
      // before: "give --verify-key, …" first, and following it was refused ("the file gives the
      // verification or the record; give them there or as flags, not both")
      await writeFile(file(), lines('').join('\n'))
      w.ps.reset()
      w.pd.reset()
      const refused = await runCliFromSource(['promote', '-f', file(), '--require-verification'])
      expect([refused.status, refused.stderr]).toEqual([
        2,
        `promote-image: --require-verification "true": needs something to verify for images[1] (name "ix") of ${file()}, and none was given: add verify-key, certificate-identity or certificate-identity-regexp with certificate-oidc-issuer, or policy to it in ${file()}, or under defaults for every image (an image's own keys win; paths are relative to the file). --verify-key and the like cannot be added: images[0] (name "app") has verify-key in the file (its own or under defaults), and the file's keys and the options' are not mixed ${UNSET}\n(promote-image --help shows the usage)\n`
      ])
      expect(seen()).toEqual({ staging: 0, target: 0, writes: [] })
    })

    it('the flag given anyway: refused naming the keys on both sides and the two ways out', async () => {
      await writeFile(file(), lines('').join('\n'))
      w.ps.reset()
      const both = await runCliFromSource([
        'promote',
        '-f',
        file(),
        '--require-verification',
        '--verify-key',
        w.files.pub
      ])
      expect([both.status, both.stderr]).toEqual([
        2,
        `promote-image: ${file()}: images[0] (name "app") has verify-key (its own or under defaults), and --verify-key was given too; the file's keys and the options are not mixed: give it in the file instead, under defaults for every image (an image's own keys win; paths are relative to the file), or remove the file's (from its images and defaults)\n(promote-image --help shows the usage)\n`
      ])
      expect(w.ps.count('*')).toBe(0)
    })

    it('following the advice (verify-key under defaults): every image verified and promoted', async () => {
      await writeFile(file(), lines('verify-key: cosign.pub').join('\n'))
      const promoted = await runCliFromSource(['promote', '-f', file(), '--require-verification'])
      expect([promoted.status, promoted.stdout]).toEqual([0, `app ${w.digests.app}\nix ${w.digests.ix}\n`])
    })
  })
})
