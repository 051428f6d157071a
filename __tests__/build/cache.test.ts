import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildxArgs, type BuildInputs } from '../../src/build/args.js'
import { restoreBuildCache, saveBuildCache, type BuildCacheOptions } from '../../src/build/cache.js'
import { runBuild, type BuildResult, type ExecFn } from '../../src/build/driver.js'
import { buildWithCache } from '../../src/build/pipeline.js'
import { actionsCache, directoryCache, type CacheStore } from '../../src/cache/index.js'
import { startCacheService, useCacheService, type CacheService } from '../cache/cache-service.js'
import { buildkitCli, ensureDockerd } from '../helpers/dockerd.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { busyboxContext, fileInImage, recordingExec, type Recorded } from './contexts.js'

const run = promisify(execFile)

function logs() {
  const lines: string[] = []
  return {
    lines,
    logger: {
      info: (m: string) => lines.push(`info: ${m}`),
      warning: (m: string) => lines.push(`warning: ${m}`)
    }
  }
}

describe('classic builder: cache: actions round trip through a cache store', () => {
  let registry: TestRegistry
  let work: string
  let context: string
  const cli = buildkitCli()
  beforeAll(async () => {
    await ensureDockerd()
    registry = await startRegistry()
    work = await mkdtemp(join(tmpdir(), 'pi-bcache-'))
    // a unique first layer, so no build of another suite on this daemon shares the cache chain,
    // and a step whose output differs every time it really runs
    context = await busyboxContext(
      ['RUN cat /proc/sys/kernel/random/uuid > /stamp', 'COPY app.txt /app.txt'],
      { 'app.txt': 'app\n', 'unique.txt': `${randomUUID()}\n` },
      ['COPY unique.txt /unique.txt']
    )
  })
  afterAll(async () => {
    await registry?.stop()
    for (const dir of [work, context]) if (dir) await rm(dir, { recursive: true, force: true })
  })

  const inputsFor = (tag: string): BuildInputs => ({
    context,
    buildArgs: [],
    labels: { 'org.opencontainers.image.created': '2020-01-10T00:30:00.000Z' },
    tags: [tag],
    platforms: [],
    metadataFile: join(work, 'unused.json')
  })

  test.each([
    ['the directory stand-in', 'directory'],
    ['@actions/cache against a local cache service', 'actions']
  ])(
    'through %s: the second build, after docker image rm and builder prune -af, reuses every layer: CACHED steps, same image, same digest',
    async (_name, kind) => {
      let store: CacheStore = directoryCache(join(work, 'store'))
      let service: CacheService | undefined
      let restoreEnv = () => {}
      if (kind === 'actions') {
        service = await startCacheService()
        await mkdir(join(work, 'runner-temp'), { recursive: true })
        restoreEnv = useCacheService(service, join(work, 'runner-temp'))
        store = actionsCache()
      }
      try {
        await roundTrip(store, kind)
      } finally {
        restoreEnv()
        await service?.stop()
      }
    }
  )

  async function roundTrip(store: CacheStore, kind: string): Promise<void> {
    const { lines, logger } = logs()
    const options: BuildCacheOptions = { store, dir: join(work, `files-${kind}`), cli, logger }
    const builds: { digest: string; imageId: string; stamp: string; output: string; argv: string[] }[] = []
    let firstKey = ''
    for (const tag of [`${registry.host}/cache/app:${kind}-1`, `${registry.host}/cache/app:${kind}-2`]) {
      // a cold builder each time, as on a fresh runner
      await run(cli, ['builder', 'prune', '-af'])
      const recorded: Recorded[] = []
      const exec = recordingExec(recorded)
      let result: BuildResult
      if (kind === 'directory') {
        // the three steps by hand
        const { inputs, plan } = await restoreBuildCache('classic', inputsFor(tag), options)
        result = await runBuild({ driver: 'classic', cli }, inputs, { exec })
        await saveBuildCache(plan, tag, options)
      } else {
        // the same through the pipeline the action runs
        result = await buildWithCache(inputsFor(tag), {
          dockerCli: cli,
          exec,
          cache: { store, dir: options.dir, logger }
        })
      }
      const key = /^info: cache: (?:no entry for|restored) (\S+)/.exec(
        lines.filter(l => / cache: (no entry|restored)/.test(l)).at(-1)!
      )![1]!
      firstKey ||= key
      expect(key).toBe(firstKey)
      const build = recorded.find(r => r.argv[1] === 'build')!
      builds.push({
        digest: result.digest,
        imageId: result.imageId,
        stamp: await fileInImage(cli, tag, '/stamp'),
        output: build.result.stderr,
        argv: build.argv.slice(1)
      })
      await run(cli, ['image', 'rm', tag])
    }
    const [first, second] = builds as [(typeof builds)[0], (typeof builds)[0]]
    const image = `promote-image-cache:${firstKey.split('-').at(-2)}`
    expect(first.argv).toEqual([
      'build',
      '--tag',
      `${registry.host}/cache/app:${kind}-1`,
      '--label',
      'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
      context
    ])
    expect(second.argv).toEqual([
      'build',
      '--tag',
      `${registry.host}/cache/app:${kind}-2`,
      '--label',
      'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
      '--cache-from',
      image,
      context
    ])
    expect(lines).toEqual([
      `info: cache: no entry for ${firstKey} or its restore keys`,
      `info: cache: saved ${firstKey}`,
      `info: cache: restored ${firstKey}`,
      `info: cache: loaded ${image} as --cache-from`,
      `info: cache: ${firstKey} was restored exactly; not saved again`
    ])
    // the first build ran the stamp step (the busybox steps may come from a concurrent build of another test)
    expect(first.output).toMatch(
      /^#(\d+) \[4\/5\] RUN cat \/proc\/sys\/kernel\/random\/uuid > \/stamp\n#\1 sha256:[0-9a-f]{64}\n#\1 DONE /m
    )
    const cached = [
      ...second.output.matchAll(/^#(\d+) \[(\d)\/5\] .*\n#\1 sha256:[0-9a-f]{64}\n#\1 CACHED$/gm)
    ]
      .map(m => m[2])
      .sort()
    expect(cached).toEqual(['1', '2', '3', '4', '5'])
    expect(second.stamp).toBe(first.stamp)
    expect(second.imageId).toBe(first.imageId)
    expect(second.digest).toBe(first.digest)
    await run(cli, ['image', 'rm', image])
    process.stderr.write(
      `classic cache round trip (${kind}): image ${first.imageId}, pushed ${first.digest} twice\n`
    )
  }

  test('a store that fails and a tar that does not load are warnings; the build succeeds', async () => {
    const failing: CacheStore = {
      restore: async () => {
        throw new Error('service down')
      },
      save: async () => {
        throw new Error('quota exceeded')
      }
    }
    const { lines, logger } = logs()
    const options: BuildCacheOptions = { store: failing, dir: join(work, 'files-failing'), cli, logger }
    const tag = `${registry.host}/cache/app:failing`
    const { inputs, plan } = await restoreBuildCache('classic', inputsFor(tag), options)
    const result = await runBuild({ driver: 'classic', cli }, inputs, { silent: true })
    await saveBuildCache(plan, tag, options)
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(lines).toEqual([
      `warning: cache: restore of ${plan.keys.key} failed, building without it: service down`,
      `warning: cache: save of ${plan.keys.key} failed (the build itself succeeded): quota exceeded`
    ])

    // a restored entry whose tar is not an image
    const store = directoryCache(join(work, 'store-corrupt'))
    const files = join(work, 'files-corrupt')
    await mkdir(join(files, 'classic'), { recursive: true })
    await writeFile(join(files, 'classic', 'image.tar'), 'not a tar')
    await store.save([join(files, 'classic')], plan.keys.key)
    const second = logs()
    const restored = await restoreBuildCache('classic', inputsFor(tag), {
      ...options,
      store,
      dir: files,
      logger: second.logger
    })
    expect(restored.inputs.cacheFrom).toBe(undefined)
    expect(second.lines[0]).toBe(`info: cache: restored ${plan.keys.key}`)
    expect(second.lines[1]).toMatch(
      /^warning: cache: the restored image cannot be loaded, building without it: docker load exited 1: /
    )
    expect(second.lines).toHaveLength(2)
    await run(cli, ['image', 'rm', tag])
  })
})

describe('buildx: type=local cache directories kept with the cache store (argv and flow; no buildx here)', () => {
  let work: string
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'pi-bxcache-'))
  })
  afterEach(async () => {
    await rm(work, { recursive: true, force: true })
  })

  /** Stands in for `buildx build`: writes into the type=local dest directories, as buildx does. */
  const exporting: ExecFn = async (_cmd, args) => {
    for (const a of args) {
      const dest = /^type=local,dest=([^,]+)/.exec(a)?.[1]
      if (dest) {
        await mkdir(join(dest, 'blobs'), { recursive: true })
        await writeFile(join(dest, 'index.json'), '{}')
      }
    }
    return { exitCode: 0, stdout: '', stderr: '' }
  }

  test('without cache specs, our own directory is cache-from and cache-to (mode=max), saved and restored', async () => {
    const context = join(work, 'ctx')
    await mkdir(context)
    await writeFile(join(context, 'Dockerfile'), 'FROM scratch\n')
    const store = directoryCache(join(work, 'store'))
    const { lines, logger } = logs()
    const options: BuildCacheOptions = { store, dir: join(work, 'files'), cli: '/opt/docker', logger }
    const base: BuildInputs = {
      context,
      buildArgs: [],
      labels: [],
      tags: ['r.example/app:1'],
      platforms: [],
      metadataFile: join(work, 'm.json')
    }
    const own = join(work, 'files', 'buildx')

    const first = await restoreBuildCache('buildx', base, options)
    expect(buildxArgs(first.inputs)).toEqual([
      'buildx',
      'build',
      '--push',
      '--metadata-file',
      join(work, 'm.json'),
      '--tag',
      'r.example/app:1',
      '--cache-from',
      `type=local,src=${own}`,
      '--cache-to',
      `type=local,dest=${own},mode=max`,
      context
    ])
    await exporting('/opt/docker', buildxArgs(first.inputs), { env: {} })
    await saveBuildCache(first.plan, 'r.example/app:1', options)
    await rm(own, { recursive: true })

    const second = await restoreBuildCache('buildx', base, options)
    expect(await readdir(own)).toEqual(['blobs', 'index.json'])
    expect(second.plan.restoredKey).toBe(first.plan.keys.key)
    expect(lines).toEqual([
      `info: cache: no entry for ${first.plan.keys.key} or its restore keys`,
      `info: cache: saved ${first.plan.keys.key}`,
      `info: cache: restored ${first.plan.keys.key}`
    ])
    expect(first.plan.keys.key).toMatch(/^promote-image-buildx-[0-9a-f]{16}-[0-9a-f]{16}$/)
  })

  test("the user's type=local src and dest directories are the paths kept; other specs are left alone", async () => {
    const context = join(work, 'ctx')
    await mkdir(context)
    const { logger } = logs()
    const restored: string[][] = []
    const store: CacheStore = {
      restore: async paths => {
        restored.push(paths)
        return undefined
      },
      save: async () => {}
    }
    const inputs: BuildInputs = {
      context,
      buildArgs: [],
      labels: [],
      tags: ['r.example/app:1'],
      platforms: [],
      metadataFile: join(work, 'm.json'),
      cacheFrom: ['type=local,src=/tmp/b-cache', 'type=gha'],
      cacheTo: ['type=local,dest=/tmp/a-cache,mode=max']
    }
    const out = await restoreBuildCache('buildx', inputs, {
      store,
      dir: join(work, 'files'),
      cli: '/opt/docker',
      logger
    })
    expect(out.inputs).toEqual(inputs)
    expect(restored).toEqual([['/tmp/a-cache', '/tmp/b-cache']])
    await rm('/tmp/a-cache', { recursive: true, force: true })
    await rm('/tmp/b-cache', { recursive: true, force: true })
  })

  test('only type=gha: nothing to keep, the store is not asked', async () => {
    const context = join(work, 'ctx')
    await mkdir(context)
    const { lines, logger } = logs()
    const store: CacheStore = {
      restore: async () => {
        throw new Error('must not be called')
      },
      save: async () => {
        throw new Error('must not be called')
      }
    }
    const inputs: BuildInputs = {
      context,
      buildArgs: [],
      labels: [],
      tags: ['r/a:1'],
      platforms: [],
      metadataFile: '/m',
      cacheTo: ['type=gha']
    }
    const out = await restoreBuildCache('buildx', inputs, {
      store,
      dir: join(work, 'files'),
      cli: '/opt/docker',
      logger
    })
    await saveBuildCache(out.plan, 'r/a:1', { store, dir: join(work, 'files'), cli: '/opt/docker', logger })
    expect(out.inputs).toEqual(inputs)
    expect(lines).toEqual([
      'info: cache: cache-from/cache-to name no type=local directory; buildx keeps its own cache'
    ])
  })
})
