import { describe, expect, it } from '@jest/globals'
import { parseChallenges, type Challenge } from '../../src/auth/challenge.js'

const cases: Array<[string, string | string[] | undefined, Challenge[]]> = [
  ['absent header', undefined, []],
  ['empty header', '', []],
  [
    'Basic with realm',
    'Basic realm="Registry Realm"',
    [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]
  ],
  [
    'ECR Basic with service',
    'Basic realm="https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/",service="ecr.amazonaws.com"',
    [
      {
        scheme: 'basic',
        params: {
          realm: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/',
          service: 'ecr.amazonaws.com'
        }
      }
    ]
  ],
  [
    'Docker Hub Bearer with one scope',
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
    [
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull'
        }
      }
    ]
  ],
  [
    'scope with a comma inside quotes and several scopes separated by spaces',
    'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull,push repository:org/base:pull"',
    [
      {
        scheme: 'bearer',
        params: {
          realm: 'https://ghcr.io/token',
          service: 'ghcr.io',
          scope: 'repository:org/app:pull,push repository:org/base:pull'
        }
      }
    ]
  ],
  [
    'distribution insufficient_scope answer',
    'Bearer realm="http://127.0.0.1:5001/token",service="registry.test",scope="repository:prod/app:pull,push",error="insufficient_scope"',
    [
      {
        scheme: 'bearer',
        params: {
          realm: 'http://127.0.0.1:5001/token',
          service: 'registry.test',
          scope: 'repository:prod/app:pull,push',
          error: 'insufficient_scope'
        }
      }
    ]
  ],
  [
    'scheme and keys case-insensitive, values kept',
    'BEARER Realm="https://Auth.Example/Token",SERVICE=Registry.Example',
    [{ scheme: 'bearer', params: { realm: 'https://Auth.Example/Token', service: 'Registry.Example' } }]
  ],
  [
    'backslash escapes in a quoted value',
    'Basic realm="say \\"hi\\", then \\\\ leave"',
    [{ scheme: 'basic', params: { realm: 'say "hi", then \\ leave' } }]
  ],
  [
    'spaces around = and commas',
    'Bearer realm = "https://a.example/token" ,  service = "a.example"',
    [{ scheme: 'bearer', params: { realm: 'https://a.example/token', service: 'a.example' } }]
  ],
  [
    'two challenges in one header',
    'Bearer realm="https://a.example/token",service="a.example", Basic realm="a.example"',
    [
      { scheme: 'bearer', params: { realm: 'https://a.example/token', service: 'a.example' } },
      { scheme: 'basic', params: { realm: 'a.example' } }
    ]
  ],
  [
    'two headers joined by Node with ", "',
    ['Basic realm="r1"', 'Bearer realm="https://t.example/token?x=1,2",service="s"'],
    [
      { scheme: 'basic', params: { realm: 'r1' } },
      { scheme: 'bearer', params: { realm: 'https://t.example/token?x=1,2', service: 's' } }
    ]
  ],
  [
    'the same two headers already joined into one string',
    'Basic realm="r1", Bearer realm="https://t.example/token?x=1,2",service="s"',
    [
      { scheme: 'basic', params: { realm: 'r1' } },
      { scheme: 'bearer', params: { realm: 'https://t.example/token?x=1,2', service: 's' } }
    ]
  ],
  ['a scheme without parameters', 'Negotiate', [{ scheme: 'negotiate', params: {} }]],
  [
    'a parameterless scheme followed by another challenge',
    'Negotiate, Basic realm="x"',
    [
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'x' } }
    ]
  ],
  ['empty quoted value', 'Basic realm=""', [{ scheme: 'basic', params: { realm: '' } }]],
  [
    'unterminated quote keeps what it has',
    'Bearer realm="https://x.example/token',
    [{ scheme: 'bearer', params: { realm: 'https://x.example/token' } }]
  ]
]

describe('parseChallenges (RFC 9110 §11.6.1, distribution authchallenge)', () => {
  it.each(cases)('%s', (_name, header, expected) => {
    expect(parseChallenges(header)).toEqual(expected)
  })
})
