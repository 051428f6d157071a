/** The words for a 403: who was refused (a named account, or anonymous access), never a secret. */
import { describe, expect, it } from '@jest/globals'
import { Authenticator } from '../../src/auth/authenticator.js'
import { staticCredentials } from '../../src/auth/credentials.js'

const unused = async (): Promise<never> => {
  throw new Error('no token request expected')
}

describe('Authenticator.forbidden', () => {
  it.each<[string, Record<string, { username: string; password: string }>, string]>([
    [
      'a configured account',
      { 'reg.example': { username: 'ci-bot', password: 'hunter2' } },
      'registry reg.example denied access to user "ci-bot" (that account lacks the permission this request needs)'
    ],
    [
      'no credentials',
      {},
      'registry reg.example denied anonymous access (no credentials are configured for it)'
    ]
  ])('%s', async (_name, logins, words) => {
    const a = new Authenticator({ credentials: staticCredentials(logins), send: unused })
    a.setChallenge('reg.example', 'Basic realm="r"')
    await a.authorization('reg.example', [{ repository: 'x/y', actions: ['pull'] }])
    expect(a.forbidden('reg.example')).toBe(words)
    expect(words).not.toContain('hunter2')
  })
})
