import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Agent, request } from 'undici'
import type { BuildInputs } from '../../src/build/args.js'
import {
  BuildError,
  buildAndPush,
  detectDriver,
  pushDigest,
  runBuild,
  type ExecFn,
  type ExecOptions
} from '../../src/build/driver.js'
import { buildkitCli, ensureDockerd } from '../helpers/dockerd.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const run = promisify(execFile)
const helloDir = fileURLToPath(new URL('../../examples/hello', import.meta.url))
/** PATH as on this machine: /usr/local/bin/docker (28.x, no buildx) before /usr/bin/docker (20.10). */
const env = { ...process.env, PATH: '/usr/local/bin:/usr/bin:/bin' }
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

async function clientVersion(cli: string): Promise<string> {
  return (await run(cli, ['version', '--format', '{{.Client.Version}}'])).stdout.trim()
}

function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (err: unknown) => err
  )
}

describe('detectDriver on this machine', () => {
  beforeAll(ensureDockerd)

  test('PATH finds /usr/local/bin/docker first, detection skips it and picks /usr/bin/docker classic', async () => {
    const onPath = (await run('bash', ['-c', 'type -P docker'], { env })).stdout.trim()
    expect(onPath).toBe('/usr/local/bin/docker')
    const infos: string[] = []
    const found = await detectDriver({ env, logger: { info: m => infos.push(m), debug: () => {} } })
    const version = await clientVersion('/usr/bin/docker')
    expect(version).toMatch(/^20\.10\.\d+/)
    expect(found).toEqual({ driver: 'classic', cli: '/usr/bin/docker', clientVersion: version })
    expect(infos).toEqual([`BuildKit driver: classic via /usr/bin/docker (${version})`])
  })

  test('an explicit CLI that needs buildx and lacks it is refused, with the reason', async () => {
    const version = await clientVersion('/usr/local/bin/docker')
    const err = await thrown(detectDriver({ env, dockerCli: '/usr/local/bin/docker' }))
    expect(err).toBeInstanceOf(BuildError)
    expect((err as Error).message).toBe(
      'cannot build with BuildKit: the docker CLI given (docker-cli: /usr/local/bin/docker) has neither a working buildx plugin nor a classic docker build with BuildKit (client 18.09–22.x); add docker/setup-buildx-action before this step, or leave docker-cli empty to try docker on PATH and /usr/bin/docker; tried:\n' +
        `  /usr/local/bin/docker: no buildx, and client ${version} (≥ 23) builds with BuildKit only through buildx`
    )
  })

  test('an explicit CLI path that does not exist gives a clear error and no fallback', async () => {
    const err = await thrown(detectDriver({ env, dockerCli: '/nonexistent/bin/docker' }))
    expect(err).toBeInstanceOf(BuildError)
    // before: '… has neither a working buildx plugin nor …; add docker/setup-buildx-action before
    // this step, …': setup-buildx-action does not make a missing docker CLI runnable
    expect((err as Error).message).toBe(
      'cannot build with BuildKit: the docker CLI given (docker-cli: /nonexistent/bin/docker) cannot be run; give docker-cli the path of a docker CLI, or leave it empty to try docker on PATH and /usr/bin/docker; tried:\n' +
        '  /nonexistent/bin/docker: cannot run it (no executable file at /nonexistent/bin/docker)'
    )
  })
})

describe('buildAndPush examples/hello with BuildKit to a real registry', () => {
  let registry: TestRegistry
  let work: string
  const agent = new Agent()
  beforeAll(async () => {
    await ensureDockerd()
    registry = await startRegistry()
    work = await mkdtemp(join(tmpdir(), 'pi-build-'))
  })
  afterAll(async () => {
    await agent.close()
    await registry?.stop()
    if (work) await rm(work, { recursive: true, force: true })
  })

  test('reports the pushed manifest digest, which the registry serves for every tag', async () => {
    const tags = [`${registry.host}/examples/hello:test`, `${registry.host}/examples/hello:second`]
    const inputs: BuildInputs = {
      context: helloDir,
      buildArgs: ['UNUSED=1'],
      labels: { 'org.opencontainers.image.revision': 'deadbeef' },
      tags,
      platforms: ['linux/amd64'],
      metadataFile: join(work, 'metadata.json')
    }
    const started = Date.now()
    const result = await buildAndPush(inputs, { env, silent: true })
    const elapsed = Date.now() - started
    process.stderr.write(`build+push of examples/hello (classic BuildKit, 2 tags): ${elapsed} ms\n`)
    await run('/usr/bin/docker', ['rmi', ...tags])

    expect(result).toEqual({
      driver: 'classic',
      cli: '/usr/bin/docker',
      digest: result.digest,
      pushedRefs: tags,
      imageId: result.imageId,
      metadata: {
        'containerimage.config.digest': result.imageId,
        'containerimage.digest': result.digest,
        'image.name': tags.join(',')
      }
    })
    expect(result.digest).toMatch(/^sha256:[a-f0-9]{64}$/)

    for (const tag of tags) {
      const raw = (
        await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${tag}`], {
          encoding: 'buffer'
        })
      ).stdout
      expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(result.digest)

      const path = tag.slice(registry.host.length + 1).replace(':', '/manifests/')
      const res = await request(`${registry.url}/v2/${path}`, {
        method: 'HEAD',
        headers: { accept: MANIFEST_ACCEPT }
      })
      await res.body.dump()
      expect(res.statusCode).toBe(200)
      expect(res.headers['docker-content-digest']).toBe(result.digest)
      expect(res.headers['content-type']).toBe('application/vnd.docker.distribution.manifest.v2+json')

      const manifest = JSON.parse(raw.toString('utf8')) as { config: { digest: string }; layers: unknown[] }
      expect(manifest.config.digest).not.toBe(result.digest)
      // the imageid output is the config digest, as build-push-action's
      expect(manifest.config.digest).toBe(result.imageId)
      expect(manifest.layers).toHaveLength(2)
    }

    const config = JSON.parse(
      (await run('skopeo', ['inspect', '--config', '--tls-verify=false', `docker://${tags[0]}`])).stdout
    ) as { architecture: string; os: string; config: { Labels: Record<string, string>; Env: string[] } }
    expect(config.architecture).toBe('amd64')
    expect(config.os).toBe('linux')
    expect(config.config.Labels).toEqual({
      'org.opencontainers.image.description': 'promote-image example',
      'org.opencontainers.image.revision': 'deadbeef',
      'org.opencontainers.image.title': 'hello'
    })
    // BuildKit gives every image a default PATH
    expect(config.config.Env).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'GREETING=hello'
    ])
  })

  test('two platforms on the classic driver fail before anything runs', async () => {
    const calls: string[][] = []
    const exec: ExecFn = async (cmd, args) => {
      calls.push([cmd, ...args])
      return { exitCode: 0, stdout: '', stderr: '' }
    }
    const inputs: BuildInputs = {
      context: helloDir,
      buildArgs: [],
      labels: [],
      tags: [`${registry.host}/examples/hello:multi`],
      platforms: ['linux/amd64', 'linux/arm64'],
      metadataFile: join(work, 'unused.json')
    }
    await expect(runBuild({ driver: 'classic', cli: buildkitCli() }, inputs, { exec })).rejects.toThrow(
      'input "platforms": the classic docker build makes one image for one platform, got 2 (linux/amd64,linux/arm64); use a docker CLI with buildx for multi-platform builds'
    )
    expect(calls).toEqual([])
  })
})

describe('driver with a scripted CLI', () => {
  const digestA = `sha256:${'a'.repeat(64)}`
  const digestB = `sha256:${'b'.repeat(64)}`
  const inputs = (metadataFile: string): BuildInputs => ({
    context: 'ctx',
    buildArgs: [],
    labels: [],
    tags: ['r.example/app:1', 'r.example/app:latest'],
    platforms: ['linux/amd64', 'linux/arm64'],
    metadataFile
  })
  /** Answers by argv; records each call with the env values the driver controls. */
  function scripted(answers: Record<string, Partial<{ exitCode: number; stdout: string; stderr: string }>>) {
    const calls: { argv: string; buildkit: string | undefined }[] = []
    const exec: ExecFn = async (cmd: string, args: string[], opts: ExecOptions) => {
      const argv = [cmd, ...args].join(' ')
      calls.push({ argv, buildkit: opts.env.DOCKER_BUILDKIT })
      const a = answers[argv]
      if (!a) return { exitCode: 1, stdout: '', stderr: `unscripted: ${argv}` }
      return { exitCode: a.exitCode ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' }
    }
    return { exec, calls }
  }

  test('buildx: detection by `buildx version`, digest from containerimage.digest in the metadata file', async () => {
    const work = await mkdtemp(join(tmpdir(), 'pi-build-'))
    const metadataFile = join(work, 'metadata.json')
    const buildArgv = `/opt/docker buildx build --push --metadata-file ${metadataFile} --tag r.example/app:1 --tag r.example/app:latest --platform linux/amd64,linux/arm64 ctx`
    const { exec, calls } = scripted({
      '/opt/docker buildx version': { stdout: 'github.com/docker/buildx v0.17.1' }
    })
    const writing: ExecFn = async (cmd, args, opts) => {
      if ([cmd, ...args].join(' ') === buildArgv) {
        await writeFile(
          metadataFile,
          JSON.stringify({ 'containerimage.config.digest': digestB, 'containerimage.digest': digestA })
        )
        calls.push({ argv: buildArgv, buildkit: opts.env.DOCKER_BUILDKIT })
        return { exitCode: 0, stdout: '', stderr: '' }
      }
      return await exec(cmd, args, opts)
    }
    try {
      const result = await buildAndPush(inputs(metadataFile), {
        exec: writing,
        dockerCli: '/opt/docker',
        env: {}
      })
      expect(result).toEqual({
        driver: 'buildx',
        cli: '/opt/docker',
        digest: digestA,
        pushedRefs: ['r.example/app:1', 'r.example/app:latest'],
        imageId: digestB,
        metadata: { 'containerimage.config.digest': digestB, 'containerimage.digest': digestA }
      })
      expect(calls).toEqual([
        { argv: '/opt/docker buildx version', buildkit: undefined },
        { argv: buildArgv, buildkit: undefined }
      ])
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  test.each<[string, string | undefined, (file: string) => string]>([
    [
      'a metadata file without containerimage.digest',
      '{"buildx.build.ref":"x"}',
      file =>
        `buildx metadata file ${file} has no containerimage.digest (sha256:<64 hex>)\n{"buildx.build.ref":"x"}`
    ],
    [
      'a config digest only',
      `{"containerimage.config.digest":"${digestB}"}`,
      file =>
        `buildx metadata file ${file} has no containerimage.digest (sha256:<64 hex>)\n{"containerimage.config.digest":"${digestB}"}`
    ],
    [
      'no metadata file written (one from an earlier build is removed first)',
      undefined,
      file => `buildx metadata file ${file} cannot be read: ENOENT: no such file or directory, open '${file}'`
    ]
  ])('buildx: %s is an error', async (_name, written, message) => {
    const work = await mkdtemp(join(tmpdir(), 'pi-build-'))
    const metadataFile = join(work, 'metadata.json')
    await writeFile(metadataFile, `{"containerimage.digest":"${digestA}"}`)
    const exec: ExecFn = async () => {
      if (written !== undefined) await writeFile(metadataFile, written)
      return { exitCode: 0, stdout: '', stderr: '' }
    }
    try {
      await expect(
        runBuild({ driver: 'buildx', cli: '/opt/docker' }, inputs(metadataFile), { exec })
      ).rejects.toThrow(message(metadataFile))
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  test('classic: DOCKER_BUILDKIT=1 on the build only; pushes that disagree on the digest are an error', async () => {
    const one = { ...inputs('/unused'), platforms: [] }
    const { exec, calls } = scripted({
      '/opt/docker build --tag r.example/app:1 --tag r.example/app:latest ctx': {},
      '/opt/docker push r.example/app:1': { stdout: `1: digest: ${digestA} size: 528\n` },
      '/opt/docker push r.example/app:latest': { stdout: `latest: digest: ${digestB} size: 528\n` }
    })
    await expect(runBuild({ driver: 'classic', cli: '/opt/docker' }, one, { exec, env: {} })).rejects.toThrow(
      `pushes of one build reported different digests: ${digestA} and ${digestB} (r.example/app:latest)`
    )
    expect(calls).toEqual([
      { argv: '/opt/docker build --tag r.example/app:1 --tag r.example/app:latest ctx', buildkit: '1' },
      { argv: '/opt/docker push r.example/app:1', buildkit: undefined },
      { argv: '/opt/docker push r.example/app:latest', buildkit: undefined }
    ])
  })

  test('classic: a failing build reports the exit code and the output tail', async () => {
    const one = { ...inputs('/unused'), platforms: [], tags: ['r.example/app:1'] }
    const { exec } = scripted({
      '/opt/docker build --tag r.example/app:1 ctx': {
        exitCode: 1,
        stderr: 'failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n'
      }
    })
    await expect(runBuild({ driver: 'classic', cli: '/opt/docker' }, one, { exec, env: {} })).rejects.toThrow(
      '/opt/docker build exited 1: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory'
    )
  })

  test("classic: no step failed (a target stage not found): the builder's error line leads, the progress lines follow (newuser finding 41)", async () => {
    const one = { ...inputs('/unused'), platforms: [], tags: ['r.example/app:1'], target: 'nosuch' }
    const progress = [
      '#1 [internal] load build definition from Dockerfile',
      '#1 sha256:0d1b6b6c0a8c5f2c2b3c5f4e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b',
      '#1 transferring dockerfile: 366B done',
      '#1 DONE 0.0s',
      '',
      '#2 [internal] load .dockerignore',
      '#2 transferring context: 2B done',
      '#2 DONE 0.0s'
    ]
    const cause =
      'failed to solve with frontend dockerfile.v0: failed to create LLB definition: target stage nosuch could not be found'
    const { exec } = scripted({
      '/opt/docker build --tag r.example/app:1 --target nosuch ctx': {
        exitCode: 1,
        stderr: [...progress, cause, ''].join('\n')
      }
    })
    const err = await thrown(runBuild({ driver: 'classic', cli: '/opt/docker' }, one, { exec, env: {} }))
    expect((err as Error).message).toBe([`/opt/docker build exited 1: ${cause}`, ...progress].join('\n'))
  })

  const noDaemon = {
    exitCode: 1,
    stdout: '20.10.24\n',
    stderr: 'Cannot connect to the Docker daemon at unix:///tmp/no.sock. Is the docker daemon running?\n'
  }
  const noBuildx = { exitCode: 1, stdout: '', stderr: "docker: 'buildx' is not a docker command.\n" }

  test('every CLI found fails to reach the daemon: the daemon is named first, with DOCKER_HOST', async () => {
    const { exec } = scripted({
      'docker buildx version': noBuildx,
      'docker version --format {{.Client.Version}}': noDaemon,
      '/usr/bin/docker buildx version': noBuildx,
      '/usr/bin/docker version --format {{.Client.Version}}': noDaemon
    })
    const err = await thrown(
      detectDriver({ exec, env: { PATH: '/nonexistent', DOCKER_HOST: 'unix:///tmp/no.sock' } })
    )
    expect((err as Error).message).toBe(
      'cannot build: the docker daemon at DOCKER_HOST=unix:///tmp/no.sock is not reachable; start it, or set DOCKER_HOST to a daemon that answers; tried:\n' +
        '  docker: no buildx, and "version" exited 1: Cannot connect to the Docker daemon at unix:///tmp/no.sock. Is the docker daemon running?\n' +
        '  /usr/bin/docker: no buildx, and "version" exited 1: Cannot connect to the Docker daemon at unix:///tmp/no.sock. Is the docker daemon running?'
    )
  })

  test('no CLI found builds with BuildKit: add docker/setup-buildx-action', async () => {
    const { exec } = scripted({
      'docker buildx version': noBuildx,
      'docker version --format {{.Client.Version}}': { exitCode: 0, stdout: '28.2.2\n', stderr: '' },
      '/usr/bin/docker buildx version': noBuildx,
      '/usr/bin/docker version --format {{.Client.Version}}': { exitCode: 0, stdout: '28.2.2\n', stderr: '' }
    })
    const err = await thrown(detectDriver({ exec, env: { PATH: '/nonexistent' } }))
    expect((err as Error).message).toBe(
      'cannot build with BuildKit: no docker CLI tried (docker on PATH, /usr/bin/docker) has a working buildx plugin or a classic docker build with BuildKit (client 18.09–22.x); add docker/setup-buildx-action before this step; tried:\n' +
        '  docker: no buildx, and client 28.2.2 (≥ 23) builds with BuildKit only through buildx\n' +
        '  /usr/bin/docker: no buildx, and client 28.2.2 (≥ 23) builds with BuildKit only through buildx'
    )
  })

  test('no docker CLI can be run at all: install docker (setup-buildx-action installs none)', async () => {
    // what actionsExec throws for each: @actions/exec for a bare name off PATH, its own check for a path
    const missing = {
      docker:
        'Unable to locate executable file: docker. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.',
      '/usr/bin/docker': 'no executable file at /usr/bin/docker'
    }
    const calls: string[] = []
    const exec: ExecFn = async (cmd, args) => {
      calls.push([cmd, ...args].join(' '))
      throw new Error(missing[cmd as keyof typeof missing])
    }
    const err = await thrown(detectDriver({ exec, env: { PATH: '/nonexistent' } }))
    expect(err).toBeInstanceOf(BuildError)
    expect((err as Error).message).toBe(
      'cannot build with BuildKit: no docker CLI tried (docker on PATH, /usr/bin/docker) can be run; install docker on the runner, or give docker-cli the path of one (the build runs through a docker CLI, which docker/setup-buildx-action does not install); tried:\n' +
        `  docker: cannot run it (${missing.docker})\n` +
        '  /usr/bin/docker: cannot run it (no executable file at /usr/bin/docker)'
    )
    expect(calls).toEqual(['docker buildx version', '/usr/bin/docker buildx version'])
  })

  test('one docker CLI runs without buildx, the other cannot be run: add docker/setup-buildx-action', async () => {
    const exec: ExecFn = async (cmd, args) => {
      if (cmd === '/usr/bin/docker') throw new Error('no executable file at /usr/bin/docker')
      const argv = [cmd, ...args].join(' ')
      if (argv === 'docker buildx version') return noBuildx
      return { exitCode: 0, stdout: '28.2.2\n', stderr: '' }
    }
    const err = await thrown(detectDriver({ exec, env: { PATH: '/nonexistent' } }))
    expect((err as Error).message).toBe(
      'cannot build with BuildKit: no docker CLI tried (docker on PATH, /usr/bin/docker) has a working buildx plugin or a classic docker build with BuildKit (client 18.09–22.x); add docker/setup-buildx-action before this step; tried:\n' +
        '  docker: no buildx, and client 28.2.2 (≥ 23) builds with BuildKit only through buildx\n' +
        '  /usr/bin/docker: cannot run it (no executable file at /usr/bin/docker)'
    )
  })

  test('a daemon that does not answer rules the classic CLI out, with its message', async () => {
    const { exec } = scripted({
      '/opt/docker version --format {{.Client.Version}}': {
        exitCode: 1,
        stdout: '20.10.24\n',
        stderr:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n'
      }
    })
    await expect(detectDriver({ exec, dockerCli: '/opt/docker', env: {} })).rejects.toThrow(
      'cannot build: the docker daemon at its default socket is not reachable; start it, or set DOCKER_HOST to a daemon that answers; tried:\n' +
        '  /opt/docker: no buildx, and "version" exited 1: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'
    )
  })
})

describe('pushDigest', () => {
  test.each<[string, string, string | undefined]>([
    [
      'docker 20.10 push output',
      `The push refers to repository [127.0.0.1:5000/hello]\n5f70bf18a086: Pushed\ntest: digest: sha256:${'c'.repeat(64)} size: 735\n`,
      `sha256:${'c'.repeat(64)}`
    ],
    ['no digest line', 'The push refers to repository [127.0.0.1:5000/hello]\n', undefined],
    ['an image ID line is not a push digest', `writing image sha256:${'d'.repeat(64)} done\n`, undefined],
    [
      'the last digest line wins',
      `a: digest: sha256:${'1'.repeat(64)} size: 1\nb: digest: sha256:${'2'.repeat(64)} size: 2\n`,
      `sha256:${'2'.repeat(64)}`
    ]
  ])('%s', (_name, output, expected) => {
    expect(pushDigest(output)).toBe(expected)
  })
})
