import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'

/** Runs scripts/import-cycles.ts on `root`: its exit code and output. */
async function check(root: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'scripts/import-cycles.ts',
      '--root',
      root
    ])
    return { code: 0, stdout }
  } catch (e) {
    const { code, stdout } = e as { code: number; stdout: string }
    return { code, stdout }
  }
}

describe('the import-cycle rule of npm run lint (scripts/import-cycles.ts)', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-cycles-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const tree = async (name: string, files: Record<string, string>): Promise<string> => {
    const root = join(dir, name)
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true })
      await writeFile(join(root, path), text)
    }
    return root
  }

  it('fails on a type-only cycle between two files, and on a cycle between folders, naming each', async () => {
    const root = await tree('cyclic', {
      'a/one.ts': "import type { Two } from './two.js'\nexport type One = Two\n",
      'a/two.ts': "import type { One } from './one.js'\nexport type Two = { one?: One }\n",
      'a/three.ts': "import { four } from '../b/four.js'\nexport const three = four\n",
      'b/four.ts': "export const four = 4\nexport async function five() { return import('../a/two.js') }\n"
    })
    const r = relative(process.cwd(), root)
    expect(await check(root)).toEqual({
      code: 1,
      stdout: [
        `file cycle: ${r}/a/one.ts → ${r}/a/two.ts → ${r}/a/one.ts`,
        `folder cycle: ${r}/a → ${r}/b → ${r}/a`,
        'import cycles: 1 between files (4 files), 1 between folders (2 nodes)',
        ''
      ].join('\n')
    })
  })

  it('passes a layered tree', async () => {
    const root = await tree('layered', {
      'a/one.ts': "import { four } from '../b/four.js'\nexport const one = four\n",
      'b/four.ts': 'export const four = 4\n',
      'top.ts': "import { one } from './a/one.js'\nexport const top = one\n"
    })
    expect(await check(root)).toEqual({
      code: 0,
      stdout: 'import cycles: 0 between files (3 files), 0 between folders (3 nodes)\n'
    })
  })
})
