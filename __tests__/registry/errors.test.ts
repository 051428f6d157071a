/** The one retry classifier and the one cause walker (registry/errors.ts). */
import { describe, expect, it } from '@jest/globals'
import {
  DigestMismatchError,
  errorCode,
  isTemporary,
  redactUrl,
  RegistryError,
  UploadRangeError
} from '../../src/registry/errors.js'
import { AuthError } from '../../src/auth/authenticator.js'

const withCode = (code: string): Error => Object.assign(new Error(code), { code })
const wrapped = (inner: unknown): Error => new Error('GET https://r.example/v2/ failed', { cause: inner })
const oci = (status: number, code: string): RegistryError =>
  new RegistryError(
    'GET',
    'https://r.example/v2/x/manifests/a',
    status,
    JSON.stringify({ errors: [{ code }] })
  )

describe('isTemporary', () => {
  it.each<[string, unknown, boolean]>([
    ['429', new RegistryError('GET', 'https://r.example/v2/', 429, ''), true],
    ['503', new RegistryError('GET', 'https://r.example/v2/', 503, ''), true],
    ['408', new RegistryError('GET', 'https://r.example/v2/', 408, ''), true],
    ['404', new RegistryError('GET', 'https://r.example/v2/', 404, ''), false],
    ['403', new RegistryError('GET', 'https://r.example/v2/', 403, ''), false],
    ['400 with TOOMANYREQUESTS', oci(400, 'TOOMANYREQUESTS'), true],
    ['400 with UNAVAILABLE', oci(400, 'UNAVAILABLE'), true],
    ['400 with MANIFEST_INVALID', oci(400, 'MANIFEST_INVALID'), false],
    // issue 24 finding 3: a 5xx whose OCI code is a verdict is final
    ['500 with UNKNOWN', oci(500, 'UNKNOWN'), true],
    ['500 with MANIFEST_BLOB_UNKNOWN', oci(500, 'MANIFEST_BLOB_UNKNOWN'), false],
    ['503 with NAME_UNKNOWN', oci(503, 'NAME_UNKNOWN'), false],
    ['ECONNRESET', withCode('ECONNRESET'), true],
    ['ECONNRESET as a cause', wrapped(withCode('ECONNRESET')), true],
    ['headers timeout two causes deep', wrapped(wrapped(withCode('UND_ERR_HEADERS_TIMEOUT'))), true],
    ['a TLS verification failure', wrapped(withCode('DEPTH_ZERO_SELF_SIGNED_CERT')), false],
    ['a digest mismatch', new DigestMismatchError('blob x', 'sha256:a', 'sha256:b', 3), false],
    ['refused credentials', new AuthError('registry r refused the credentials'), false],
    ['an upload Range that did not advance', new UploadRangeError('PATCH … did not advance'), true],
    ['a plain error', new Error('something else'), false],
    ['not an error', 'ECONNRESET', false]
  ])('%s → %s', (_name, error, expected) => expect(isTemporary(error)).toBe(expected))
})

describe('errorCode', () => {
  it.each<[string, unknown, string]>([
    ['own code', withCode('EPIPE'), 'EPIPE'],
    ['first code along the causes', wrapped(wrapped(withCode('ECONNREFUSED'))), 'ECONNREFUSED'],
    ['none', new Error('x'), ''],
    ['undefined', undefined, '']
  ])('%s', (_name, error, code) => expect(errorCode(error)).toBe(code))
})

describe('redactUrl: the one form of a URL in messages and the -v log (newuser6 #13)', () => {
  it.each<[string, string, string]>([
    [
      "an upload session's Location: its _state and digest values left out",
      'http://127.0.0.1:5000/v2/a/b/blobs/uploads/1f2e?_state=nrKxafsxOce8mB_abc%3D&digest=sha256%3A211e',
      'http://127.0.0.1:5000/v2/a/b/blobs/uploads/1f2e?_state=…&digest=…'
    ],
    [
      'a signed blob URL, user info, a repeated key once',
      'https://u:secret@s3.example/bucket/x?X-Amz-Signature=abc&X-Amz-Credential=k&X-Amz-Signature=d',
      'https://s3.example/bucket/x?X-Amz-Signature=…&X-Amz-Credential=…'
    ],
    ['no query', 'https://r.example/v2/x/manifests/v1', 'https://r.example/v2/x/manifests/v1'],
    ['not a URL', 'not a url', '(unparseable URL)']
  ])('%s', (_, url, shown) => {
    expect(redactUrl(url)).toBe(shown)
  })

  it('a RegistryError names the URL in that form', () => {
    const e = new RegistryError(
      'PUT',
      'http://h:1/v2/a/blobs/uploads/u?_state=SECRET&digest=sha256%3Aab',
      400,
      ''
    )
    expect(e.message).toBe('PUT http://h:1/v2/a/blobs/uploads/u?_state=…&digest=… answered 400')
  })
})
