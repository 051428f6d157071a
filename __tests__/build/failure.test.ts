import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BuildInputs } from '../../src/build/args.js'
import { BuildError, runBuild } from '../../src/build/driver.js'
import { failedStep } from '../../src/build/failure.js'
import { buildkitCli, ensureDockerd } from '../helpers/dockerd.js'
import { busyboxContext, recordingExec, type Recorded } from './contexts.js'

describe('failedStep', () => {
  test('buildx output: the failing vertex among others, its last lines and its error', () => {
    const log = [
      '#5 [2/3] RUN echo ok',
      '#5 0.101 ok',
      '#5 DONE 0.1s',
      '#6 [3/3] RUN npm ci',
      '#6 0.200 one',
      '#7 [other 1/1] RUN sleep 1',
      '#6 0.300 two',
      '#6 0.400 three',
      '#6 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
      '#7 CANCELED',
      '------',
      ' > [3/3] RUN npm ci:',
      '0.300 two',
      '------',
      'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1'
    ].join('\n')
    expect(failedStep(log, 2)).toEqual({
      step: '#6 [3/3] RUN npm ci',
      lines: ['#6 0.300 two', '#6 0.400 three'],
      error: '#6 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1'
    })
  })

  test('no failed vertex (e.g. no Dockerfile): undefined', () => {
    expect(
      failedStep('failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory')
    ).toBe(undefined)
  })
})

describe('a failing real build', () => {
  let work: string
  const cli = buildkitCli()
  beforeAll(async () => {
    await ensureDockerd()
    work = await mkdtemp(join(tmpdir(), 'pi-fail-'))
  })
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  test('the error names the step with its last 10 lines and its error; the whole log is still in the output', async () => {
    const context = await busyboxContext([
      'RUN echo first-step-output',
      'RUN for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line $i; done; false',
      'RUN echo never'
    ])
    const inputs: BuildInputs = {
      context,
      buildArgs: [],
      labels: {},
      tags: ['127.0.0.1:9/fail/app:1'],
      platforms: [],
      noCache: true,
      metadataFile: join(work, 'unused.json')
    }
    const recorded: Recorded[] = []
    try {
      const err = await runBuild({ driver: 'classic', cli }, inputs, { exec: recordingExec(recorded) }).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(err).toBeInstanceOf(BuildError)
      const step = '[4/5] RUN for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line $i; done; false'
      expect(normalise((err as Error).message)).toBe(
        [
          `${cli} build exited 1 at step ${step}`,
          `#N ${step}`,
          ...[3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(i => `#N T line ${i}`),
          '#N ERROR: executor failed running [/bin/sh -c for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line $i; done; false]: exit code: 1'
        ].join('\n')
      )
      expect((err as Error).message).not.toContain('first-step-output')
      // nothing was pushed: the build was the only command
      expect(recorded.map(r => r.argv.slice(1, 2))).toEqual([['build']])
      const output = recorded[0]!.result.stderr
      for (const line of [
        'first-step-output',
        'line 1',
        'line 2',
        'line 12',
        '[3/5] RUN echo first-step-output'
      ])
        expect(output).toContain(line)
    } finally {
      await rm(context, { recursive: true, force: true })
    }
  })
})

/** Vertex numbers and timestamps vary between runs. */
function normalise(text: string): string {
  return text.replace(/^#\d+ \d+\.\d+ /gm, '#N T ').replace(/^#\d+ /gm, '#N ')
}
