/** The names in src/constants.ts are exactly action.yml's inputs and outputs. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../src/constants.js'

const action = parse(readFileSync(resolve(import.meta.dirname, '..', 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

describe('constants', () => {
  it('Inputs names every input of action.yml, and nothing else', () => {
    expect(Object.values(Inputs).sort()).toEqual(Object.keys(action.inputs).sort())
  })
  it('Outputs names every output of action.yml, and nothing else', () => {
    expect(Object.values(Outputs).sort()).toEqual(Object.keys(action.outputs).sort())
  })
})
