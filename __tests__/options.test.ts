/**
 * One rule, one wording, in both interfaces: each bad option value is refused by the CLI's argv
 * parser and by the action's readInputs with the same rule, naming the option as each interface
 * spells it (`--moving-tag "Bad!": …`, `input "moving-tags": "Bad!" …`).
 */
import { describe, expect, it } from '@jest/globals'
import { parseCommandLine } from '../src/cli/args.js'
import { readInputs } from '../src/inputs.js'
import { parseOptions, type OptionNames } from '../src/options.js'
import type { TagContext } from '../src/tags/index.js'

const TAG_RULE = 'a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
const KINDS = 'dockerhub, ghcr, ecr, ecr-public, gar, gcr, acr, quay, harbor, generic'
const HOST_RULE = 'must be a host or host:port, without scheme or path (e.g. registry.internal:5000)'
const SECONDS_RULE = 'must be a number of seconds above 0 and at most 3600'
const ctx = () => ({ eventName: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40) }) as TagContext

describe('each option check, through the CLI and through the action', () => {
  it.each<[string, string, string, string]>([
    ['--tag-policy', 'tag-policy', 'sometimes', 'must be immutable or overwrite'],
    ['--moving-tag', 'moving-tags', 'Bad!', `not a valid tag (${TAG_RULE})`],
    ['--moving-tag', 'moving-tags', '.hidden', `not a valid tag (${TAG_RULE})`],
    ['--upload-mode', 'upload-mode', 'fast', 'must be monolithic or chunked'],
    ['--concurrency', 'concurrency', '0', 'must be a whole number from 1 to 64'],
    ['--concurrency', 'concurrency', '1.5', 'must be a whole number from 1 to 64'],
    ['--timeout', 'request-timeout', '0', SECONDS_RULE],
    ['--timeout', 'request-timeout', '-1', SECONDS_RULE],
    ['--timeout', 'request-timeout', 'soon', SECONDS_RULE],
    ['--ca-file', 'ca-file', '/nonexistent/ca.pem', 'no such file'],
    ['--insecure', 'insecure-registries', 'http://reg.internal:5000', HOST_RULE],
    ['--insecure', 'insecure-registries', 'reg.internal:5000/v2', HOST_RULE],
    [
      '--registry-kind',
      'registry-kinds',
      'reg.example.com=nexus',
      `must be HOST=KIND with KIND one of ${KINDS}`
    ],
    ['--registry-kind', 'registry-kinds', '=harbor', `must be HOST=KIND with KIND one of ${KINDS}`]
  ])('%s / input %s: %j', (flag, input, value, rule) => {
    expect(parseCommandLine(['tags', `${flag}=${value}`], { fileExists: () => false })).toEqual({
      command: 'usage-error',
      message: `${flag} "${value}": ${rule}`
    })
    expect(() => readInputs(name => ({ source: 'ghcr.io/o/a:1', [input]: value })[name] ?? '', ctx)).toThrow(
      new Error(`input "${input}": "${value}" ${rule}`)
    )
  })
})

describe('parseOptions', () => {
  const names: OptionNames = {
    tagPolicy: 'p',
    movingTags: 'm',
    uploadMode: 'u',
    concurrency: 'c',
    timeout: 't',
    caFile: 'f',
    insecureRegistries: 'i',
    registryKinds: 'k'
  }
  it('gives the defaults when nothing is given, and parses every option', () => {
    expect(parseOptions({}, names, () => false)).toEqual({
      registryKinds: {},
      tagPolicy: 'immutable',
      movingTags: ['latest', 'edge'],
      uploadMode: 'monolithic',
      concurrency: undefined,
      timeoutMs: undefined,
      caFile: undefined,
      insecureRegistries: []
    })
    expect(
      parseOptions(
        {
          tagPolicy: 'overwrite',
          movingTags: ['stable'],
          uploadMode: 'chunked',
          concurrency: '64',
          timeout: '3600',
          caFile: '/ca.pem',
          insecureRegistries: ['[::1]:5000', 'localhost', 'Reg.Example.com:443'],
          registryKinds: [' Reg.Example.com = Harbor ']
        },
        names,
        p => p === '/ca.pem'
      )
    ).toEqual({
      registryKinds: { 'reg.example.com': 'harbor' },
      tagPolicy: 'overwrite',
      movingTags: ['stable'],
      uploadMode: 'chunked',
      concurrency: 64,
      timeoutMs: 3_600_000,
      caFile: '/ca.pem',
      insecureRegistries: ['[::1]:5000', 'localhost', 'Reg.Example.com:443']
    })
  })
})
