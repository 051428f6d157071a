/**
 * From the words a user gives (flags, action inputs, promotion-file keys: the same names, as cosign
 * names them) to the engine's values: the verification policy (keys read and parsed, identities,
 * the trusted root read, a `--policy` file for the rich form) and the signing method of the record.
 * Files are read here, once; every problem names the option and the rule, before anything is written.
 * A key option (`verify-key`, `sign-key`) takes, as cosign's `--key` does, a file path or
 * `env://NAME`, or the PEM itself (an action input set from a secret); messages name the file or
 * variable, never a key's content.
 *
 * The policy file (YAML or JSON) uses the option names as keys, paths relative to the file:
 *
 *   verify-key: [cosign.pub]
 *   certificate-identity: https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main
 *   certificate-oidc-issuer: https://token.actions.githubusercontent.com
 *   trusted-root: trusted_root.json
 *   identities:                    # more keyless signers, each as above
 *     - certificate-identity-regexp: ^https://github\.com/acme/
 *       certificate-oidc-issuer: https://token.actions.githubusercontent.com
 *   attestations:
 *     - predicate-type: https://slsa.dev/provenance/v1
 *       fields:                    # exact string, or { regexp: … }
 *         builder.id: https://github.com/actions/runner/github-hosted
 *         source.repository: { regexp: ^https://github\.com/acme/ }
 *   children: true                 # every child manifest of an index too
 */
import { readFile } from 'node:fs/promises'
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { parse } from 'yaml'
import { pemTrouble, publicKeyOf } from './cosign.js'
import type { AttestationRule, FieldRule, IdentityRule, Match, VerifyPolicy } from './policy.js'
import type { SigningMethod } from './sigstore.js'
import type { RecordOptions, RecordRun } from './record.js'
import { PUBLIC_GOOD } from './defaults.js'
import { isInlinePem, notAFile } from './key-value.js'

/** The verification options (engine names; the flags are their kebab-case forms). */
export interface VerifyOptions {
  /** `--verify-key FILE` (repeatable): PEM public keys */
  verifyKey?: string[]
  /** `--certificate-identity` */
  certificateIdentity?: string
  /** `--certificate-identity-regexp` */
  certificateIdentityRegexp?: string
  /** `--certificate-oidc-issuer` */
  certificateOidcIssuer?: string
  /** `--trusted-root FILE`: a Sigstore TrustedRoot JSON (default: the public-good instance) */
  trustedRoot?: string
  /** `--policy FILE`: the rich form (see the module comment) */
  policy?: string
}

/** The record's signing options. */
export interface SignOptions {
  /** `--sign-key FILE`: a PEM private key (PKCS#8 or SEC1, unencrypted) */
  signKey?: string
  /** `--sign-keyless`: Fulcio + Rekor with the job's OIDC token */
  signKeyless?: boolean
}

export { PUBLIC_GOOD }

type Read = (path: string) => Promise<string>
const readText: Read = async path => await readFile(path, 'utf8')

/** Reads `path` for option `name`. @throws Error `NAME PATH: cannot be read (…)` */
async function readOption(read: Read, name: string, path: string): Promise<string> {
  try {
    return await read(path)
  } catch (e) {
    throw new Error(
      `${name} ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
    )
  }
}

/** A key as given: the PEM text and how messages name it (never by its content). */
interface KeyText {
  text: string
  /** the file path, `env://NAME`, or `(PEM given inline)` */
  name: string
}

/**
 * A key option's value, as cosign's `--key` takes it: a file path, `env://NAME` (the PEM in that
 * environment variable: the form a secret takes in a workflow), or the PEM itself (an action input
 * set from a secret).
 * @throws Error `NAME WHERE: cannot be read (…)`, `NAME env://X: the environment variable is not set`
 */
async function readKey(
  read: Read,
  name: string,
  value: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<KeyText> {
  if (isInlinePem(value)) return { text: value, name: '(PEM given inline)' }
  if (value.startsWith('env://')) {
    const text = env[value.slice('env://'.length)]
    if (!text) throw new Error(`${name} ${value}: the environment variable is not set`)
    return { text, name: value }
  }
  return { text: await readOption(read, name, value), name: value }
}

/** A regexp option checked to compile. @throws Error `NAME: … is not a valid regular expression` */
function regexpOf(name: string, source: string): Match {
  try {
    new RegExp(source)
  } catch (e) {
    throw new Error(
      `${name}: ${JSON.stringify(source)} is not a valid regular expression (${(e as Error).message})`
    )
  }
  return { regexp: source }
}

/**
 * One keyless signer from its words; undefined when none is given.
 * @throws Error when both or neither identity form is given with an issuer, or no issuer is given
 */
function identityOf(o: Record<string, unknown>, where: string): IdentityRule | undefined {
  const exact = o['certificate-identity'] as string | undefined
  const re = o['certificate-identity-regexp'] as string | undefined
  const issuer = o['certificate-oidc-issuer'] as string | undefined
  if (exact === undefined && re === undefined && issuer === undefined) return undefined
  if (exact !== undefined && re !== undefined)
    throw new Error(`${where}certificate-identity and certificate-identity-regexp: give one of them`)
  if (exact === undefined && re === undefined)
    throw new Error(
      `${where}certificate-oidc-issuer needs certificate-identity or certificate-identity-regexp`
    )
  if (issuer === undefined)
    throw new Error(`${where}certificate-identity needs certificate-oidc-issuer (as cosign requires)`)
  const subject =
    exact !== undefined ? { exact } : regexpOf(`${where}certificate-identity-regexp`, re as string)
  return { subject, issuer: { exact: issuer } }
}

/** The field rules of one attestation entry. @throws Error naming the entry and field */
function fieldsOf(fields: unknown, where: string): FieldRule[] {
  if (fields === undefined) return []
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw new Error(`${where}fields must be a mapping of field to value`)
  return Object.entries(fields).map(([field, v]) => {
    if (typeof v === 'string') return { field, want: { exact: v } }
    const re = (v as { regexp?: unknown } | null)?.regexp
    if (typeof re === 'string') return { field, want: regexpOf(`${where}fields.${field}.regexp`, re) }
    throw new Error(`${where}fields.${field} must be a string or { regexp: … }`)
  })
}

/** The attestation rules of a policy file (checked by checkPolicy). */
function attestationsOf(list: unknown, file: string): AttestationRule[] {
  if (list === undefined) return []
  return (list as Array<Record<string, unknown>>).map((a, i) => ({
    predicateType: a['predicate-type'] as string,
    rules: fieldsOf(a.fields, `policy ${file}: attestations[${i}].`)
  }))
}

/** A value as a message names it: a scalar as written, or what it is. */
function described(v: unknown): string {
  if (v === null || v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return JSON.stringify(v)
}

/** One key's rule: its words in a message, and the check. */
interface KeyRule {
  rule: string
  ok: (v: unknown) => boolean
}
const isString = (v: unknown): boolean => typeof v === 'string'
const STRING: KeyRule = { rule: 'must be a string', ok: isString }
const IDENTITY: Record<string, KeyRule> = {
  'certificate-identity': STRING,
  'certificate-identity-regexp': STRING,
  'certificate-oidc-issuer': STRING
}
const ATTESTATION: Record<string, KeyRule> = {
  'predicate-type': STRING,
  fields: {
    rule: 'must be a mapping of field to value',
    ok: v => typeof v === 'object' && v !== null && !Array.isArray(v)
  }
}

/**
 * The keys of a policy file and, for each, its rule: the one schema of the file. Lists of
 * mappings (identities, attestations) are checked entry by entry against their own keys.
 */
const POLICY: Record<string, KeyRule | { list: Record<string, KeyRule>; required?: string }> = {
  'verify-key': {
    rule: 'must be a path or a list of paths',
    ok: v => isString(v) || (Array.isArray(v) && v.every(isString))
  },
  ...IDENTITY,
  'trusted-root': { rule: 'must be a path', ok: isString },
  identities: { list: IDENTITY },
  attestations: { list: ATTESTATION, required: 'predicate-type' },
  children: { rule: 'must be true or false', ok: v => typeof v === 'boolean' }
}

/**
 * Checks `words` against `schema`, naming the key path (`where` + key) and the rule.
 * @throws Error `policy FILE: unknown key WHERE.KEY (known: …)`, `policy FILE: WHERE.KEY must be … (got …)`
 */
function checkKeys(
  words: Record<string, unknown>,
  schema: Record<string, KeyRule | { list: Record<string, KeyRule>; required?: string }>,
  file: string,
  where: string
): void {
  const known = Object.keys(schema)
  for (const [key, v] of Object.entries(words)) {
    const rule = schema[key]
    if (rule === undefined)
      throw new Error(`policy ${file}: unknown key ${where}${key} (known: ${known.join(', ')})`)
    if ('ok' in rule) {
      if (!rule.ok(v)) throw new Error(`policy ${file}: ${where}${key} ${rule.rule} (got ${described(v)})`)
      continue
    }
    if (!Array.isArray(v))
      throw new Error(`policy ${file}: ${where}${key} must be a list of mappings (got ${described(v)})`)
    v.forEach((entry: unknown, i) => {
      const at = `${where}${key}[${i}]`
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw new Error(`policy ${file}: ${at} must be a mapping (got ${described(entry)})`)
      if (rule.required !== undefined && !(rule.required in entry))
        throw new Error(`policy ${file}: ${at}.${rule.required} is missing`)
      checkKeys(entry as Record<string, unknown>, rule.list, file, `${at}.`)
    })
  }
}

/** The words of a policy file, parsed (YAML 1.2, which reads JSON too) and checked by POLICY. */
async function policyWords(read: Read, file: string): Promise<Record<string, unknown>> {
  let doc: unknown
  try {
    doc = parse(await readOption(read, 'policy', file))
  } catch (e) {
    throw new Error(`policy ${file}: ${(e as Error).message}`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error(`policy ${file}: must be a mapping`)
  checkKeys(doc as Record<string, unknown>, POLICY, file, '')
  return doc as Record<string, unknown>
}

/**
 * A trusted root's text, checked to be a JSON object (what proof/sigstore.ts loadTrust parses as a
 * Sigstore TrustedRoot when a bundle is verified), so a wrong file is refused before any request.
 * @throws Error `trusted-root FILE: not JSON, so not a Sigstore trusted root (…)`, `trusted-root FILE:
 *   not a Sigstore trusted root (JSON, but not an object)`
 */
function trustedRootText(file: string, text: string): string {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw new Error(
      `trusted-root ${file}: not JSON, so not a Sigstore trusted root (give its trusted_root.json: from the instance's TUF repository, or cosign trusted-root create)`
    )
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error(`trusted-root ${file}: not a Sigstore trusted root (JSON, but not an object)`)
  return text
}

/**
 * The verification policy the options ask for; undefined when they ask for none. Paths in a
 * policy file are relative to it; flags add to the file (keys and identities) or replace it
 * (trusted root).
 * @throws Error naming the option and the rule (unreadable file, not a PEM key, identity without
 *   issuer, bad regexp, a trusted root that is not JSON, unknown policy key, a policy file that asks for nothing: `policy FILE: asks
 *   for nothing to check …`)
 */
export async function loadVerifyPolicy(
  o: VerifyOptions,
  read: Read = readText
): Promise<VerifyPolicy | undefined> {
  const file = o.policy ? await policyWords(read, o.policy) : {}
  const base = o.policy ? dirname(o.policy) : '.'
  const rel = (p: string): string => resolve(base, p)
  const fileKeys = ([] as string[])
    .concat((file['verify-key'] as string[] | string | undefined) ?? [])
    .map(k => (notAFile(k) ? k : rel(k)))
  const keyFiles = [...fileKeys, ...(o.verifyKey ?? [])]
  const keys = await Promise.all(
    keyFiles.map(async k => {
      const given = await readKey(read, 'verify-key', k)
      if (given.text.includes('PRIVATE KEY-----'))
        throw new Error(`verify-key ${given.name}: a private key; give its public key (cosign public-key)`)
      try {
        return publicKeyOf(given.text, given.name)
      } catch (e) {
        throw new Error(`verify-key ${(e as Error).message}`)
      }
    })
  )
  const flags = identityOf(
    {
      'certificate-identity': o.certificateIdentity,
      'certificate-identity-regexp': o.certificateIdentityRegexp,
      'certificate-oidc-issuer': o.certificateOidcIssuer
    },
    ''
  )
  const listed = (file.identities as Array<Record<string, unknown>> | undefined) ?? []
  const identities = [
    identityOf(file, `policy ${o.policy}: `),
    ...listed.map((i, n) => identityOf(i, `policy ${o.policy}: identities[${n}].`)),
    flags
  ]
  const idRules = identities.filter((i): i is IdentityRule => i !== undefined)
  const attestations = attestationsOf(file.attestations, o.policy ?? '')
  const rootFile =
    o.trustedRoot ?? (typeof file['trusted-root'] === 'string' ? rel(file['trusted-root']) : undefined)
  if (!keys.length && !idRules.length && !attestations.length) {
    if (o.policy !== undefined)
      throw new Error(
        `policy ${o.policy}: asks for nothing to check (no verify-key, identity or attestations), so every image would pass; give one of them`
      )
    return undefined
  }
  const trustedRoot = rootFile
    ? { name: rootFile, json: trustedRootText(rootFile, await readOption(read, 'trusted-root', rootFile)) }
    : undefined
  return {
    keys,
    identities: idRules,
    attestations,
    scope: file.children === true ? 'all' : 'root',
    ...(trustedRoot ? { trustedRoot } : {})
  }
}

/**
 * A PEM private key. @throws Error `sign-key FILE: not a PEM private key (…)` (see pemTrouble), naming
 * an encrypted cosign key, and a public key (`sign-key FILE: a public key; give its private key …`)
 */
function privateKeyOf(pem: string, file: string): KeyObject {
  if (pem.includes('ENCRYPTED SIGSTORE PRIVATE KEY') || pem.includes('ENCRYPTED COSIGN PRIVATE KEY'))
    throw new Error(
      `sign-key ${file}: an encrypted cosign key; give the PEM private key (cosign generate-key-pair's key decrypted, or an ECDSA P-256 PKCS#8 PEM from openssl)`
    )
  if (pem.includes('PUBLIC KEY-----') && !pem.includes('PRIVATE KEY-----'))
    throw new Error(`sign-key ${file}: a public key; give its private key (the public key is for verify-key)`)
  try {
    return createPrivateKey(pem)
  } catch {
    throw new Error(`sign-key ${file}: not a PEM private key (${pemTrouble(pem, 'private')})`)
  }
}

/** The signing method and, for a key, its PEM as given (what the action must mask). */
async function signingOf(
  o: SignOptions,
  token: () => Promise<string>,
  urls: { fulcioURL: string; rekorURL: string; tsaURL?: string; timeoutMs?: number },
  read: Read
): Promise<{ method?: SigningMethod; given?: string }> {
  if (o.signKey && o.signKeyless) throw new Error('sign-key and sign-keyless: give one of them')
  if (o.signKey) {
    const given = await readKey(read, 'sign-key', o.signKey)
    return { method: { kind: 'key', key: privateKeyOf(given.text, given.name) }, given: given.text }
  }
  if (o.signKeyless) return { method: { kind: 'keyless', token, ...urls } }
  return {}
}

/**
 * The record's signing method; undefined when no record is asked for. Keyless takes the token from
 * `token` (the action: the job's GitHub OIDC token, `id-token: write`) at signing time. `sign-key`
 * is a file, `env://NAME` or the PEM itself (see readKey).
 * @throws Error when both sign-key and sign-keyless are given, or the key is not a private key
 */
export async function loadSigning(
  o: SignOptions,
  token: () => Promise<string>,
  urls: { fulcioURL: string; rekorURL: string; tsaURL?: string } = PUBLIC_GOOD,
  read: Read = readText
): Promise<SigningMethod | undefined> {
  return (await signingOf(o, token, urls, read)).method
}

/** Every issue-20 option: the gate's and the record's. */
export interface ProofOptions extends VerifyOptions, SignOptions {}

/** What the calling interface (the action, the CLI) gives the gate and the record besides the options. */
export interface ProofEdge {
  /** the CI run the record names (github/run.ts recordRunOf; undefined outside CI) */
  run?: RecordRun
  /**
   * the OIDC token for keyless signing, asked for only when a record is signed: the action's
   * core.getIDToken('sigstore') (masked), the CLI's proof/sigstore.ts ciToken
   */
  token: () => Promise<string>
  /**
   * why `token` can give none here, with the remedy (proof/oidc.ts), checked when keyless signing is
   * asked for, before anything is written; undefined: it can
   */
  noToken?: () => string | undefined
  /** the tool's version, stated in the record */
  version?: string
}

/**
 * The promote options issue 20 adds (`verify`, `record`), from the options (neither when none is
 * asked), and `secrets`: what the action must mask (core.setSecret) before anything is logged: the
 * signing key's PEM as given and as exported, whole and line by line (a runner masks a multi-line
 * secret line by line). `edge.urls`: Sigstore's Fulcio, Rekor and timestamp URLs for keyless
 * signing (default: the public-good instance, PUBLIC_GOOD); `edge.timeoutMs`: ms each of their
 * requests may take (the request timeout; default limits.ts DEFAULT_TIMEOUT_MS).
 * @throws Error naming the option and the rule (see loadVerifyPolicy, loadSigning); keyless signing
 *   where the edge can have no OIDC token (`sign-keyless: ` + edge.noToken's reason); a trusted root
 *   given with nothing to verify against it (`trusted-root FILE: nothing is verified against it …`)
 */
export async function loadProof(
  o: ProofOptions,
  edge: ProofEdge & { urls?: { fulcioURL: string; rekorURL: string; tsaURL?: string }; timeoutMs?: number },
  read: Read = readText
): Promise<{ verify?: VerifyPolicy; record?: RecordOptions; secrets: string[] }> {
  const urls = { ...(edge.urls ?? PUBLIC_GOOD), ...(edge.timeoutMs ? { timeoutMs: edge.timeoutMs } : {}) }
  const { method: signing, given } = await signingOf(o, edge.token, urls, read)
  const noToken = signing?.kind === 'keyless' ? edge.noToken?.() : undefined
  if (noToken) throw new Error(`sign-keyless: ${noToken}`)
  const verify = await loadVerifyPolicy(o, read)
  if (!verify && o.trustedRoot !== undefined)
    throw new Error(
      `trusted-root ${o.trustedRoot}: nothing is verified against it, so every image would pass; give verify-key, certificate-identity or certificate-identity-regexp (with certificate-oidc-issuer), or policy`
    )
  const record: RecordOptions | undefined = signing
    ? { signing, ...(edge.run ? { run: edge.run } : {}), ...(edge.version ? { version: edge.version } : {}) }
    : undefined
  const secrets = [...new Set([...(given ? pemSecrets(given) : []), ...signingSecrets(signing)])]
  return { ...(verify ? { verify } : {}), ...(record ? { record } : {}), secrets }
}

/**
 * A PEM text as the secrets to mask (the runner masks line by line, so a multi-line secret is
 * masked whole and by its lines): the whole text trimmed, then each trimmed non-empty line but the
 * `-----BEGIN`/`-----END` markers, in order. Pure; throws nothing.
 */
export function pemSecrets(pem: string): string[] {
  const lines = pem
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('-----'))
  return [pem.trim(), ...lines]
}

/**
 * What the action must mask (core.setSecret) for a signing method: each line of the private key's
 * PEM as read (a multi-line secret is masked line by line). Keyless: none here (the OIDC token is
 * masked where it is fetched).
 */
export function signingSecrets(method: SigningMethod | undefined): string[] {
  if (method?.kind !== 'key') return []
  return pemSecrets(method.key.export({ type: 'pkcs8', format: 'pem' }).toString())
}
