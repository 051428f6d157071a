/** The words for a 403: who was refused (a named account, or anonymous access), never a secret. */
import { describe, expect, it } from '@jest/globals'
import { Authenticator } from '../../src/auth/authenticator.js'
import { staticCredentials } from '../../src/auth/credentials.js'
import { hasOwnReason, parseErrorBody } from '../../src/registry/errors.js'

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

  // newuser finding 24: "DENIED: quota exceeded" is not a matter of who asked
  it.each<[string, Record<string, { username: string; password: string }>, string]>([
    [
      'a configured account, the registry giving its own reason',
      { 'reg.example': { username: 'ci-bot', password: 'hunter2' } },
      'the request was made as user "ci-bot"'
    ],
    [
      'no credentials, the registry giving its own reason',
      {},
      'the request was anonymous (no credentials are configured for registry reg.example)'
    ]
  ])('%s', async (_name, logins, words) => {
    const a = new Authenticator({ credentials: staticCredentials(logins), send: unused })
    a.setChallenge('reg.example', 'Basic realm="r"')
    await a.authorization('reg.example', [{ repository: 'x/y', actions: ['pull'] }])
    expect(a.forbidden('reg.example', true)).toBe(words)
  })
})

describe('hasOwnReason: a 403 body that gives a reason other than access', () => {
  it.each<[string, string, boolean]>([
    ['a quota', '{"errors":[{"code":"DENIED","message":"quota exceeded"}]}', true],
    ['maintenance', '{"errors":[{"code":"DENIED","message":"writes are closed for maintenance"}]}', true],
    [
      "distribution's access words",
      '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}',
      false
    ],
    ['a permission', '{"errors":[{"code":"DENIED","message":"permission denied for push"}]}', false],
    ['no message', '{"errors":[{"code":"DENIED"}]}', false],
    ['not JSON', 'Forbidden', false]
  ])('%s', (_name, body, own) => {
    expect(hasOwnReason(parseErrorBody(body))).toBe(own)
  })
})
