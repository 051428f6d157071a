/** referrers/selection.ts: what travels with an image, as discovery modes (pure). */
import { describe, expect, it } from '@jest/globals'
import { DEFAULT_REFERRERS, discoveryOf, travels } from '../../src/referrers/selection.js'

const SBOM = 'application/spdx+json'
const SIG = 'application/vnd.dev.cosign.artifact.sig.v1+json'

describe('discoveryOf: a selection → how discovery runs', () => {
  it("not given: the engine's default is the interfaces' (all): the API, then cosign's tags", () => {
    expect(DEFAULT_REFERRERS).toBe('all')
    expect(discoveryOf(undefined)).toEqual({ api: true, cosign: true })
    expect(discoveryOf(undefined)).toEqual(discoveryOf(DEFAULT_REFERRERS))
  })

  it.each([
    ['true: the fallback tag only', true, { api: false, cosign: false }],
    ['false: nothing', false, undefined],
    ['none: nothing', 'none' as const, undefined],
    ['all', 'all' as const, { api: true, cosign: true }],
    ['types without cosign', [SBOM], { api: true, cosign: false, types: new Set([SBOM]) }],
    ['cosign alone: no API type', ['cosign'], { api: true, cosign: true, types: new Set() }],
    ['types and cosign', [SBOM, 'cosign', SIG], { api: true, cosign: true, types: new Set([SBOM, SIG]) }]
  ])('%s', (_, selection, expected) => {
    expect(discoveryOf(selection)).toEqual(expected)
  })
})

describe('travels: a referrer of a type under a discovery', () => {
  it.each([
    ['every type when none are named', { api: true, cosign: true }, SBOM, true],
    ['an unknown type when none are named', { api: true, cosign: true }, undefined, true],
    ['a named type', { api: true, cosign: false, types: new Set([SBOM]) }, SBOM, true],
    ['another type', { api: true, cosign: false, types: new Set([SBOM]) }, SIG, false],
    ['no type when types are named', { api: true, cosign: false, types: new Set([SBOM]) }, undefined, false]
  ])('%s', (_, discovery, type, expected) => {
    expect(travels(discovery, type)).toBe(expected)
  })
})
