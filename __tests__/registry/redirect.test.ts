import { describe, expect, it } from '@jest/globals'
import {
  MAX_REDIRECTS,
  mayAuthorize,
  nextRedirect,
  type RedirectDecision,
  type RedirectInput
} from '../../src/registry/redirect.js'

const FROM = new URL('http://127.0.0.1:5000/v2/team/app/blobs/sha256:abc')
const input = (over: Partial<RedirectInput>): RedirectInput => ({
  status: 307,
  location: 'http://127.0.0.1:9000/bucket/abc?X-Amz-Signature=s',
  url: FROM,
  follow: true,
  expect: [200],
  redirects: 0,
  streamedBodySent: false,
  ...over
})
const follow = (url: string): RedirectDecision => ({ kind: 'follow', url: new URL(url) })

describe('nextRedirect', () => {
  it.each<[string, Partial<RedirectInput>, RedirectDecision]>([
    ['307 to another origin', {}, follow('http://127.0.0.1:9000/bucket/abc?X-Amz-Signature=s')],
    ['301', { status: 301 }, follow('http://127.0.0.1:9000/bucket/abc?X-Amz-Signature=s')],
    ['302', { status: 302 }, follow('http://127.0.0.1:9000/bucket/abc?X-Amz-Signature=s')],
    ['303', { status: 303 }, follow('http://127.0.0.1:9000/bucket/abc?X-Amz-Signature=s')],
    ['308', { status: 308 }, follow('http://127.0.0.1:9000/bucket/abc?X-Amz-Signature=s')],
    [
      'a relative Location resolves against the answering URL',
      { location: '/elsewhere/x' },
      follow('http://127.0.0.1:5000/elsewhere/x')
    ],
    [
      'a path-relative Location',
      { location: 'other?n=1' },
      follow('http://127.0.0.1:5000/v2/team/app/blobs/other?n=1')
    ],
    [
      'the fifth redirect is still followed',
      { redirects: MAX_REDIRECTS - 1, location: '/x' },
      follow('http://127.0.0.1:5000/x')
    ],
    ['200 is not a redirect', { status: 200 }, { kind: 'none' }],
    ['304 is not followed', { status: 304 }, { kind: 'none' }],
    ['no Location', { location: undefined }, { kind: 'none' }],
    ['an empty Location', { location: '' }, { kind: 'none' }],
    ['following is off', { follow: false }, { kind: 'none' }],
    ['the caller expects the 3xx itself', { expect: [200, 307] }, { kind: 'none' }],
    [
      'the sixth redirect is refused',
      { redirects: MAX_REDIRECTS, location: '/x' },
      { kind: 'refuse', url: new URL('http://127.0.0.1:5000/x'), reason: 'too many redirects' }
    ],
    [
      'a streamed body already sent cannot follow (query secrets redacted)',
      { streamedBodySent: true },
      {
        kind: 'refuse',
        url: new URL('http://127.0.0.1:9000/bucket/abc?X-Amz-Signature=s'),
        reason:
          'redirected to http://127.0.0.1:9000/bucket/abc?X-Amz-Signature=…, but a streamed upload body cannot be sent twice'
      }
    ],
    [
      'an invalid Location',
      { location: 'http://[bad' },
      { kind: 'refuse', reason: 'redirected to an invalid Location "http://[bad"' }
    ]
  ])('%s', (_name, over, expected) => {
    expect(nextRedirect(input(over))).toEqual(expected)
  })
})

describe('mayAuthorize: Authorization only on the registry origin', () => {
  it.each([
    ['http://127.0.0.1:5000/v2/x', true],
    ['http://127.0.0.1:5000/elsewhere?q=1', true],
    ['http://127.0.0.1:9000/bucket/abc', false], // another port
    ['https://127.0.0.1:5000/v2/x', false], // another scheme
    ['http://localhost:5000/v2/x', false], // another host name for the same address
    ['http://user:pw@127.0.0.1:5000/v2/x', true]
  ])('%s → %p', (url, expected) => {
    expect(mayAuthorize(new URL(url), 'http://127.0.0.1:5000')).toBe(expected)
  })
})
