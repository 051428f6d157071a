/**
 * The options schema (src/options.ts OPTIONS) is the one owner of every option: the names each
 * interface gives an engine option, the promotion file's owned keys, the CLI's per-command checks
 * and help are derived from it.
 */
import { describe, expect, it } from '@jest/globals'
import { parseCommandLine } from '../src/cli/args.js'
import { optionLines } from '../src/cli/help.js'
import { FILE_OWNED_OPTIONS, OPTION_FLAGS, OPTION_INPUTS } from '../src/options.js'

const parse = (...argv: string[]) => parseCommandLine(argv, { fileExists: () => false })

describe('names derived from the schema', () => {
  it('each engine option under its flag and its input', () => {
    expect(OPTION_FLAGS).toEqual({
      tagPolicy: '--tag-policy',
      movingTags: '--moving-tag',
      insecureRegistries: '--insecure',
      caFile: '--ca-file',
      clientCerts: '--client-cert',
      clientKeys: '--client-key',
      concurrency: '--concurrency',
      timeout: '--timeout',
      uploadMode: '--upload-mode',
      requestBudgets: '--request-budget',
      registryKinds: '--registry-kind',
      referrers: '--referrers',
      promotePlatforms: '--platform',
      verifyKey: '--verify-key',
      certificateIdentity: '--certificate-identity',
      certificateIdentityRegexp: '--certificate-identity-regexp',
      certificateOidcIssuer: '--certificate-oidc-issuer',
      trustedRoot: '--trusted-root',
      policy: '--policy',
      requireVerification: '--require-verification',
      signKey: '--sign-key',
      signKeyless: '--sign-keyless',
      fulcioUrl: '--fulcio-url',
      rekorUrl: '--rekor-url',
      timestampServerUrl: '--timestamp-server-url'
    })
    expect(OPTION_INPUTS).toEqual({
      tagPolicy: 'tag-policy',
      movingTags: 'moving-tags',
      insecureRegistries: 'insecure-registries',
      caFile: 'ca-file',
      clientCerts: 'client-cert',
      clientKeys: 'client-key',
      concurrency: 'concurrency',
      timeout: 'request-timeout',
      uploadMode: 'upload-mode',
      requestBudgets: 'request-budget',
      registryKinds: 'registry-kinds',
      referrers: 'referrers',
      promotePlatforms: 'promote-platforms',
      verifyKey: 'verify-key',
      certificateIdentity: 'certificate-identity',
      certificateIdentityRegexp: 'certificate-identity-regexp',
      certificateOidcIssuer: 'certificate-oidc-issuer',
      trustedRoot: 'trusted-root',
      policy: 'policy',
      requireVerification: 'require-verification',
      signKey: 'sign-key',
      signKeyless: 'sign-keyless',
      fulcioUrl: 'fulcio-url',
      rekorUrl: 'rekor-url',
      timestampServerUrl: 'timestamp-server-url'
    })
  })

  it('the promotion file owns tag-policy, moving-tags and referrers', () => {
    expect(FILE_OWNED_OPTIONS).toEqual({
      tagPolicy: 'tag-policy',
      movingTags: 'moving-tags',
      referrers: 'referrers'
    })
  })
})

describe('which commands take an option', () => {
  it.each([
    [['inspect', '--concurrency', '3', 'ghcr.io/o/a:1'], '--concurrency is not an option of inspect'],
    [['inspect', '--dry-run', 'ghcr.io/o/a:1'], '--dry-run is not an option of inspect'],
    [['inspect', '--tag-policy', 'overwrite', 'ghcr.io/o/a:1'], '--tag-policy is not an option of inspect'],
    [['tags', '--upload-mode', 'chunked'], '--upload-mode is not an option of tags'],
    [['tags', '--insecure', 'reg.internal:5000'], '--insecure is not an option of tags'],
    [
      ['plan', '-f', 'p.yaml', '--shards', '2', '--concurrency', '2'],
      '--concurrency is not an option of plan'
    ],
    [['plan', '-f', 'p.yaml', '--shards', '2', '--dry-run'], '--dry-run is not an option of plan']
  ])('%j: %s', (argv, message) => {
    expect(parse(...argv)).toEqual({ command: 'usage-error', message })
  })

  it('promote -f takes the transfer and TLS options', () => {
    const cmd = parse(
      'promote',
      '-f',
      'p.yaml',
      '--concurrency',
      '2',
      '--upload-mode',
      'chunked',
      '--timeout',
      '5'
    )
    expect(cmd).toMatchObject({
      command: 'promote-file',
      options: { concurrency: 2, uploadMode: 'chunked', timeoutMs: 5000 }
    })
  })
})

describe('help derived from the schema', () => {
  it("a command's option lines are the options it takes, in the schema's order", () => {
    expect(optionLines('plan').split('\n')).toEqual([
      '  --insecure HOST[:PORT]    HOST[:PORT] may use plain http or TLS without certificate verification,',
      "                            as docker's insecure-registries: a HOST without :PORT covers no other",
      '                            port (warned each run; repeatable)',
      '  --ca-file FILE            PEM CA bundle to trust (NODE_EXTRA_CA_CERTS works too)',
      '  --client-cert HOST=FILE   PEM TLS client certificate for registry HOST[:PORT] only (mTLS;',
      '                            repeatable)',
      '  --client-key HOST=FILE    its PEM private key, unencrypted (one per --client-cert)',
      '  --timeout SECONDS         give up on a request with no answer after this long, per try, whole',
      '                            seconds 1 to 3600 (default 120)',
      '  --request-budget R=RATE   keep requests to registry R within a budget: N/s (evenly spaced), a',
      '                            TOTAL for the run, or N/s,TOTAL (ghcr.io=20/s,5000; repeatable). A plan',
      '                            that needs more than the total left is refused before any write; plan',
      "                            --shards gives each shard its share (the matrix's budget, for that",
      "                            shard's --request-budget)",
      '  --registry-kind HOST=KIND naming rules for HOST (harbor, quay, … as in the registry-kinds input;',
      '                            repeatable)',
      '  --authfile FILE           containers-auth.json or docker config.json to read credentials from',
      '                            first (podman login writes one); default $REGISTRY_AUTH_FILE; then the',
      '                            docker config.json',
      '  --json                    print the result as JSON',
      '  -f, --file FILE           (promote, plan) the promotion file',
      '  --shards N                (plan) how many shards to plan, 1 to 256',
      '  -v, --verbose             debug logging on stderr, with one line per request (method, URL without',
      '                            query values, status, ms, retries)',
      '  -h, --help                this help',
      '  --version                 print the version'
    ])
  })
})
