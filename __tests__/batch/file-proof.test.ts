/**
 * A promotion file's gate and record keys (issue 20): the same words as the action's inputs, under
 * defaults or per image (the image's key by key over the defaults'), checked by the options' rules
 * with the field named; nothing read here (paths are resolved against the file when loaded).
 */
import { describe, expect, it } from '@jest/globals'
import { parsePromotionFile } from '../../src/batch/file.js'

const H = 'registry.example:5000'
const ISS = 'https://token.actions.githubusercontent.com'
const WF = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main'

describe('proof keys', () => {
  it('under defaults and per image, the image key by key over the defaults; none given: no proof', () => {
    const file = parsePromotionFile(
      [
        'defaults:',
        `  targets: [${H}/acme]`,
        '  verify-key: keys/cosign.pub',
        '  sign-key: env://SIGN_KEY',
        'images:',
        `  - { name: a, source: "${H}/s/a:1" }`,
        `  - name: b`,
        `    source: "${H}/s/b:1"`,
        `    verify-key: [one.pub, two.pub]`,
        `    certificate-identity: ${WF}`,
        `    certificate-oidc-issuer: ${ISS}`
      ].join('\n'),
      'release.yml'
    )
    expect(file.images.map(i => i.proof)).toEqual([
      { verifyKey: ['keys/cosign.pub'], signKey: 'env://SIGN_KEY' },
      {
        verifyKey: ['one.pub', 'two.pub'],
        certificateIdentity: WF,
        certificateOidcIssuer: ISS,
        signKey: 'env://SIGN_KEY'
      }
    ])
    const none = parsePromotionFile(
      `defaults:\n  targets: [${H}/acme]\nimages:\n  - { name: a, source: "${H}/s/a:1" }`,
      'F'
    )
    expect(none.images[0].proof).toBeUndefined()
  })

  it.each([
    [
      `  - { name: a, source: "${H}/s/a:1", certificate-identity: "${WF}" }`,
      `release.yml: images[0] (name "a"): certificate-identity: "${WF}": needs certificate-oidc-issuer (as cosign requires)`
    ],
    [
      `  - { name: a, source: "${H}/s/a:1", sign-keyless: "yes" }`,
      'release.yml: images[0] (name "a"): sign-keyless: must be true or false'
    ],
    [
      `  - { name: a, source: "${H}/s/a:1", rekor-url: "https://rekor.internal" }`,
      'release.yml: images[0] (name "a"): rekor-url: "https://rekor.internal": is used by keyless signing only: give sign-keyless too'
    ],
    [
      `  - { name: a, source: "${H}/s/a:1", verify-keys: [x] }`,
      expect.stringMatching(
        /^release\.yml: images\[0\] \(name "a"\): verify-keys: unknown key \(known: .*verify-key, certificate-identity/
      )
    ]
  ])('%s refused', (entry, message) => {
    let error: Error | undefined
    try {
      parsePromotionFile(`defaults:\n  targets: [${H}/acme]\nimages:\n${entry}`, 'release.yml')
    } catch (e) {
      error = e as Error
    }
    expect(error?.message).toEqual(message)
  })
})
