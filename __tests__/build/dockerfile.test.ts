/** build/dockerfile.ts: the stages of a Dockerfile as BuildKit's frontend reads them (pure tables). */
import { describe, expect, it } from '@jest/globals'
import { dockerfileStages } from '../../src/build/dockerfile.js'

describe('dockerfileStages', () => {
  it.each([
    ['one unnamed stage', 'FROM scratch\nCOPY a /a\n', [], true],
    [
      'named stages, flags, any case',
      'FROM --platform=$BUILDPLATFORM busybox AS base\nfrom base as With-Secret\nFROM base AS final\n',
      ['base', 'With-Secret', 'final'],
      true
    ],
    ['a continued FROM line', 'FROM \\\n  busybox \\\n  AS base\n', ['base'], true],
    ['a comment inside a continuation', 'FROM busybox \\\n# note\n  AS base\n', ['base'], true],
    ['the escape directive', '# escape=`\nFROM busybox `\n  AS base\n', ['base'], true],
    [
      "a heredoc's lines are not instructions",
      'FROM busybox AS a\nRUN <<EOF\nFROM x AS fake\nEOF\nFROM a AS b\n',
      ['a', 'b'],
      true
    ],
    ['a name from a variable: not checkable', 'ARG N=x\nFROM busybox AS ${N}\n', ['${N}'], false],
    [
      'another frontend: not checkable',
      '# syntax=example.com/my/frontend:1\nFROM busybox AS a\n',
      ['a'],
      false
    ],
    [
      "docker/dockerfile's own syntax: checkable",
      '# syntax=docker/dockerfile:1.7\nFROM busybox AS a\n',
      ['a'],
      true
    ],
    ['no FROM: not checkable', 'this is not a Dockerfile\n', [], false],
    [
      'a heredoc that never ends: not checkable',
      'FROM busybox AS a\nRUN <<EOF\necho\nFROM a AS b\n',
      ['a'],
      false
    ]
  ])('%s', (_name, text, stages, checkable) => {
    expect(dockerfileStages(text)).toEqual({ stages, checkable })
  })
})
