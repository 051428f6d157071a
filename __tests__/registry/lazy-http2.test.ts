/** src/registry/lazy-http2.ts: what undici's HTTP/2 client reads, without loading node:http2. */
import { describe, expect, it } from '@jest/globals'
import * as http2 from 'node:http2'
import { connect, constants } from '../../src/registry/lazy-http2.js'

describe('lazy-http2', () => {
  it("each constant is node:http2's own value", () => {
    const real = http2.constants as unknown as Record<string, string | number>
    for (const [name, value] of Object.entries(constants)) expect([name, value]).toEqual([name, real[name]])
    expect(Object.keys(constants)).toHaveLength(10)
  })

  it('connect is node:http2.connect, loaded on the first call', async () => {
    const session = connect('http://127.0.0.1:1')
    const error = await new Promise<Error>(resolve => session.once('error', resolve))
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
    session.destroy()
  })
})
