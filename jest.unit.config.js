/**
 * `npm run test:unit`: the tests that need no service (no docker-registry, no dockerd, no
 * browser), chosen by scripts/unit-tests.mjs from their imports; the rest of jest.config.js.
 */
import { resolve } from 'node:path'
import base from './jest.config.js'
import { selectTests } from './scripts/unit-tests.mjs'

export default { ...base, testMatch: selectTests().unit.map(f => resolve(f)) }
