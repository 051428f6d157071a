/** The names in src/constants.ts are exactly action.yml's inputs and outputs. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../src/constants.js'
import { OPTIONS } from '../src/options.js'

const action = parse(readFileSync(resolve(import.meta.dirname, '..', 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

describe('constants', () => {
  it('Inputs names every input of action.yml, and nothing else', () => {
    expect(Object.values(Inputs).sort()).toEqual(Object.keys(action.inputs).sort())
  })
  it("the inputs of options are the schema rows' inputs, under the rows' names", () => {
    const fromSchema = OPTIONS.filter(o => o.input).map(o => [o.name, o.input])
    // not pinned to a count: a new row with an input needs no change here
    expect(fromSchema.map(([name]) => name)).toEqual(
      expect.arrayContaining(['dryRun', 'tagPolicy', 'timeout'])
    )
    for (const [name, input] of fromSchema)
      expect([name, (Inputs as Record<string, string>)[name!]]).toEqual([name, input])
  })
  it('no input is named twice (a hand entry beside a schema row)', () => {
    const values = Object.values(Inputs)
    expect(values.length).toBe(new Set(values).size)
  })
  it('Outputs names every output of action.yml, and nothing else', () => {
    expect(Object.values(Outputs).sort()).toEqual(Object.keys(action.outputs).sort())
  })
})
