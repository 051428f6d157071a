/**
 * A password given with a creds flag is masked in the CLI's messages where it stands on its own,
 * never inside another word or a digest, and never on stdout (newuser4 finding 11: `--dest-creds
 * u:a` turned the digest `copy` prints into `sh***256:…`, and `t***rget` on stderr). A password under
 * 4 characters is not masked at all, and a warning says so.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Masker } from '../../src/cli/io.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

describe('Masker', () => {
  it('masks a secret where it stands on its own; not where a letter or digit continues it', () => {
    const m = new Masker()
    m.add(['pass', b64('u:pass')])
    expect(
      m.mask(`Basic ${b64('u:pass')}; pass, "pass" /pass/ passed bypass sha256:0pass1 pass-word -pass-`)
    ).toBe('Basic ***; ***, "***" /***/ passed bypass sha256:0pass1 ***-word -***-')
  })

  it('a secret that begins or ends with another character is masked glued to a word on that side', () => {
    const m = new Masker()
    m.add(['-x9!'])
    expect(m.mask('a-x9!b and -x9!')).toBe('a***b and ***')
  })

  it('a secret under 4 characters is neither masked nor announced', () => {
    const lines: string[] = []
    const m = new Masker(l => void lines.push(l))
    m.add(['a', '5f', 'abc', 'abcd'])
    expect(m.mask('target a 5f abc abcd')).toBe('target a 5f abc ***')
    expect(lines).toEqual(['::add-mask::abcd\n'])
  })
})

describe('copy --dest-creds: the digest on stdout is never rewritten', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let image: SeededImage

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    image = await pushImage(src.url, 'team/app', [randomBlob(5_000)], { tag: 'v1' })
  })
  afterAll(async () => Promise.all([src, dst].map(r => r.stop())))

  const copy = (password: string, tag: string) =>
    runCliFromSource([
      'copy',
      '--dest-creds',
      `u:${password}`,
      `${src.host}/team/app:v1`,
      `${dst.host}/team/app:${tag}`
    ])

  it('a 1-character password: not masked, said once; stdout is the digest', async () => {
    const run = await copy('a', 'a1')
    expect(run.status).toBe(0)
    expect(run.stdout).toBe(`${image.digest}\n`)
    expect(run.stderr.split('\n').filter(l => l.startsWith('warning:'))).toEqual([
      "warning: --dest-creds: the password is 1 character long; it is not masked in the output (a secret under 4 characters cannot be told from the output's own words)"
    ])
    expect(run.stderr).not.toContain('***')
    expect(run.stderr).toContain(`${dst.host}/team/app`)
  })

  it('a password that is a piece of the digest, and one that is a word of the target: stdout untouched', async () => {
    const piece = image.digest.slice('sha256:'.length + 8, 'sha256:'.length + 14)
    const inDigest = await copy(piece, 'p6')
    expect(inDigest.status).toBe(0)
    expect(inDigest.stdout).toBe(`${image.digest}\n`)
    expect(inDigest.stderr).not.toContain('***')

    // stands on its own in the target's name: masked on stderr, not in the result on stdout
    const word = await copy('team', 'w4')
    expect(word.status).toBe(0)
    expect(word.stdout).toBe(`${image.digest}\n`)
    expect(word.stderr).toContain(`${dst.host}/***/app`)
    expect(word.stderr).not.toContain('/team/')
  })
})
