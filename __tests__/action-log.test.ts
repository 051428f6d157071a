/**
 * The action's log (issue 22): one `::add-mask::` per secret however many requests carry it, and
 * the one-line result last; against a real htpasswd registry as the source and two targets on it.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import { writeHtpasswd } from './helpers/htpasswd.js'
import { pushImage, randomBlob, type SeededImage } from './helpers/images.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'

const USER = { user: 'releaser', password: 'Xq4mT8vLr2Wn' }
const BASIC = Buffer.from(`${USER.user}:${USER.password}`).toString('base64')

let reg: TestRegistry
let work: string
let image: SeededImage
const saved = { ...process.env }

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pi-log-'))
  await mkdir(join(work, 'auth'))
  reg = await startRegistry({
    htpasswdFile: await writeHtpasswd(join(work, 'auth'), { [USER.user]: USER.password })
  })
  const layers = Array.from({ length: 8 }, (_, i) => randomBlob(1000 + i))
  image = await pushImage(reg.url, 'ci/app', layers, {
    tag: 'rc-1',
    headers: { authorization: `Basic ${BASIC}` }
  })
})
afterAll(async () => {
  process.env = saved
  await reg.stop()
  await rm(work, { recursive: true, force: true })
})

it('each secret masked once across every request of a 9-blob copy to 2 targets; the result line last', async () => {
  const r = await runAction(
    work,
    'log',
    {
      source: `${reg.host}/ci/app:rc-1`,
      targets: `${reg.host}/prod/app\n${reg.host}/mirror/app`,
      tags: 'v1.4.2',
      'registry-auth': `- registry: ${reg.host}\n  username: ${USER.user}\n  password: ${USER.password}`
    },
    {
      GITHUB_REPOSITORY: undefined,
      GITHUB_API_URL: undefined,
      GITHUB_RUN_ID: undefined,
      GITHUB_EVENT_PATH: undefined
    }
  )
  expect(r.failed).toBeUndefined()
  const lines = r.log.trimEnd().split('\n')
  expect(lines.filter(l => l.startsWith('::add-mask::'))).toEqual([
    `::add-mask::${USER.password}`,
    `::add-mask::${BASIC}`
  ])
  expect(lines.at(-1)).toBe(`promoted ${reg.host}/ci/app@${image.digest} to 2 targets (tags v1.4.2)`)
  expect(r.summary.split('\n')[0]).toBe('## ✅ app v1.4.2 promoted to 2 targets on 1 registry')
})
