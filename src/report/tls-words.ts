/**
 * The interface's words for what the registry stack reports as facts about TLS: the advice after
 * a certificate failed verification (registry/errors.ts TlsVerifyError) or a TLS server asked for
 * or refused a client certificate (TlsClientCertificateError), and the warning for a registry used
 * under insecure-registries (InsecureHostEvent), naming the options as the calling interface does:
 * the CLI's flags (`--ca-file`, `--insecure`, `--client-cert`) or the action's inputs (`ca-file`,
 * `insecure-registries`, `client-cert`); options.ts OPTION_FLAGS / OPTION_INPUTS. The engine's
 * request budgets and platform choices are named the same way. Pure.
 */
import type { OptionNames } from '../options.js'
import { PlainHttpRefusal } from '../plain-http.js'
import { BudgetSpentError } from '../registry/ratelimit.js'
import { RequestBudgetError } from '../copy/budget.js'
import { PlatformChoiceError } from '../copy/platforms.js'
import { IndexChildMissingError } from '../copy/graph.js'
import {
  PlainHttpAnswerError,
  TlsClientCertificateError,
  TlsVerifyError,
  type InsecureHostEvent
} from '../registry/errors.js'

/** How messages name the TLS options in the calling interface. */
export type TlsOptionNames = Pick<
  OptionNames,
  'caFile' | 'insecureRegistries' | 'requestBudgets' | 'clientCerts' | 'clientKeys' | 'promotePlatforms'
>

/** True for a CLI flag name (`--ca-file`), false for an action input name (`ca-file`). */
const isFlag = (name: string): boolean => name.startsWith('-')

/**
 * The advice after `host`'s TLS certificate could not be verified, in the words of the interface
 * `names` come from: `give the CA with --ca-file FILE or NODE_EXTRA_CA_CERTS, or skip its
 * verification with --insecure HOST` (CLI), `give the CA with the ca-file input or
 * NODE_EXTRA_CA_CERTS, or list the host in insecure-registries` (action). `insecure` false leaves
 * the second half out (a token server: insecure-registries names registries only). `bareListed`
 * (entries naming the host without its port, errors.ts bareInsecureEntries) turns the advice to
 * them: `--insecure 127.0.0.1 names no port; this registry is 127.0.0.1:5106: give --insecure
 * 127.0.0.1:5106, or give the CA with --ca-file FILE or NODE_EXTRA_CA_CERTS` (CLI),
 * `insecure-registries lists 127.0.0.1 with no port; this registry is 127.0.0.1:5106: list
 * 127.0.0.1:5106 there, or give the CA with the ca-file input or NODE_EXTRA_CA_CERTS` (action).
 */
export function tlsAdvice(
  names: TlsOptionNames,
  host: string,
  insecure = true,
  bareListed: readonly string[] = []
): string {
  const ca = isFlag(names.caFile) ? `${names.caFile} FILE` : `the ${names.caFile} input`
  const option = names.insecureRegistries
  if (insecure && bareListed.length) {
    const bare = bareListed[0]
    const said = isFlag(option)
      ? `${option} ${bare} names no port; this registry is ${host}: give ${option} ${host}`
      : `${option} lists ${bare} with no port; this registry is ${host}: list ${host} there`
    return `${said}, or give the CA with ${ca} or NODE_EXTRA_CA_CERTS`
  }
  const skip = isFlag(names.insecureRegistries)
    ? `, or skip its verification with ${names.insecureRegistries} ${host}`
    : `, or list the host in ${names.insecureRegistries}`
  return `give the CA with ${ca} or NODE_EXTRA_CA_CERTS${insecure ? skip : ''}`
}

/**
 * The advice after a TLS server at `host` asked for a client certificate (`sent` false) or refused
 * the one given (`sent` true), in the words of the interface `names` come from. CLI: `give one with
 * --client-cert HOST=CERT_FILE and --client-key HOST=KEY_FILE`, `check that --client-cert names a
 * certificate it trusts, with its key (--client-key)`; action: `give one in the client-cert and
 * client-key inputs: HOST=CERT_FILE and HOST=KEY_FILE`, `check that the client-cert input names a
 * certificate it trusts, with its key (client-key)`.
 */
export function clientCertAdvice(names: TlsOptionNames, host: string, sent: boolean): string {
  const { clientCerts: cert, clientKeys: key } = names
  if (isFlag(cert))
    return sent
      ? `check that ${cert} names a certificate it trusts, with its key (${key})`
      : `give one with ${cert} ${host}=CERT_FILE and ${key} ${host}=KEY_FILE`
  return sent
    ? `check that the ${cert} input names a certificate it trusts, with its key (${key})`
    : `give one in the ${cert} and ${key} inputs: ${host}=CERT_FILE and ${host}=KEY_FILE`
}

/**
 * The warning for a registry used under insecure-registries / `--insecure` (once per run and host):
 * `registry reg:5443 is listed with --insecure: its TLS certificate is not verified` (https), `…:
 * plain http, no TLS` (http).
 */
export function insecureWarning(names: TlsOptionNames, event: InsecureHostEvent): string {
  const listed = isFlag(names.insecureRegistries)
    ? `listed with ${names.insecureRegistries}`
    : `listed in ${names.insecureRegistries}`
  const what = event.scheme === 'http' ? 'plain http, no TLS' : 'its TLS certificate is not verified'
  return `registry ${event.registry} is ${listed}: ${what}`
}

/**
 * What follows a plain-http refusal's message (registry redirects and URLs, token realms), in the
 * interface's words. Action: `; list the host in insecure-registries to allow it` (redirect),
 * `; list auth.corp:5001 in insecure-registries to allow it` (a realm: not loopback, or off the
 * registry's own host). CLI: `; allow it with --insecure HOST` (every rule). Each is what
 * realmPolicy and the transport then allow.
 */
export function plainHttpAdvice(names: TlsOptionNames, refusal: PlainHttpRefusal): string {
  const option = names.insecureRegistries
  if (isFlag(option)) return `; allow it with ${option} ${refusal.host}`
  if (refusal.rule === 'redirect') return `; list the host in ${option} to allow it`
  return `; list ${refusal.host} in ${option} to allow it`
}

/**
 * What follows the message of a registry that answered https in plain text (registry/errors.ts
 * PlainHttpAnswerError), naming the option that allows plain http for it as the interface does.
 * CLI: `; if it serves plain http, allow that with --insecure lab:5000`; action: `; if it serves
 * plain http, list lab:5000 in insecure-registries to allow that`. An entry without the port
 * (`bareListed`): `; --insecure lab names no port; this registry is lab:5000: give --insecure
 * lab:5000 if it serves plain http` (CLI), `; insecure-registries lists lab with no port; this
 * registry is lab:5000: list lab:5000 there if it serves plain http` (action). Followed, plain
 * http is then used for it (registry/ping.ts).
 */
export function plainAnswerAdvice(names: TlsOptionNames, e: PlainHttpAnswerError): string {
  const option = names.insecureRegistries
  const host = e.registry
  const bare = e.bareListed[0]
  if (bare)
    return isFlag(option)
      ? `; ${option} ${bare} names no port; this registry is ${host}: give ${option} ${host} if it serves plain http`
      : `; ${option} lists ${bare} with no port; this registry is ${host}: list ${host} there if it serves plain http`
  return isFlag(option)
    ? `; if it serves plain http, allow that with ${option} ${host}`
    : `; if it serves plain http, list ${host} in ${option} to allow that`
}

/**
 * A spent or too small request budget in the interface's words, naming its option: `docker.io:
 * the request budget of 2 requests (--request-budget) is spent; raise it or promote fewer images
 * per run`; `request budget too small, nothing written: … give --request-budget 127.0.0.1:5000=19
 * or more, or promote fewer images per run` (action: `set request-budget: …`; without the budget's
 * total known, `raise request-budget, or …`).
 */
export function budgetWords(names: TlsOptionNames, e: BudgetSpentError | RequestBudgetError): string {
  if (e instanceof BudgetSpentError)
    return e.message.replace(
      ` ${e.total} requests is spent`,
      ` ${e.total} requests (${names.requestBudgets}) is spent`
    )
  const last = e.message.lastIndexOf('\n  ')
  const entries = e.covering.join(' ')
  const way = !e.covering.length
    ? `raise ${names.requestBudgets}`
    : isFlag(names.requestBudgets)
      ? `give ${names.requestBudgets} ${entries} or more`
      : `set ${names.requestBudgets}: ${entries} or more`
  return `${e.message.slice(0, last)}\n  ${way}, or promote fewer images per run`
}

/**
 * What follows the message of a source index listing children its registry does not have
 * (copy/graph.ts IndexChildMissingError): the platforms still there, to promote alone. CLI: `, or
 * promote the others with --platform linux/amd64`; action: `, or promote the others with
 * promote-platforms: linux/amd64`; nothing when no other platform is left, or for a promotion
 * file ({@link batchNames}: no key of it picks platforms). Followed, the walk reads only the
 * chosen children (copy/select.ts).
 */
export function platformsLeftAdvice(names: TlsOptionNames, e: IndexChildMissingError): string {
  if (!e.platformsLeft.length || !names.promotePlatforms) return ''
  const list = e.platformsLeft.join(',')
  return isFlag(names.promotePlatforms)
    ? `, or promote the others with ${names.promotePlatforms} ${list}`
    : `, or promote the others with ${names.promotePlatforms}: ${list}`
}

/**
 * `names` for a promotion file's images: as the interface's, but no platforms option (a promotion
 * file promotes every platform of each source, batch/file.ts), so no advice names one.
 */
export function batchNames(names: TlsOptionNames): TlsOptionNames {
  return { ...names, promotePlatforms: '' }
}

/** The errors whose facts the interface phrases. */
type Phrased =
  | TlsVerifyError
  | TlsClientCertificateError
  | PlainHttpRefusal
  | PlainHttpAnswerError
  | BudgetSpentError
  | RequestBudgetError
  | PlatformChoiceError
  | IndexChildMissingError

/**
 * The errors under `e` whose facts the interface phrases ({@link Phrased}): along `cause`, and in
 * a PromoteError's `failures`.
 */
function tlsErrorsOf(e: unknown, out: Phrased[] = [], depth = 0): Phrased[] {
  if (!e || typeof e !== 'object' || depth > 8) return out
  if (
    e instanceof TlsVerifyError ||
    e instanceof TlsClientCertificateError ||
    e instanceof PlainHttpRefusal ||
    e instanceof PlainHttpAnswerError ||
    e instanceof BudgetSpentError ||
    e instanceof RequestBudgetError ||
    e instanceof PlatformChoiceError ||
    e instanceof IndexChildMissingError
  )
    out.push(e)
  tlsErrorsOf((e as { cause?: unknown }).cause, out, depth + 1)
  const failures = (e as { failures?: unknown }).failures
  if (Array.isArray(failures))
    for (const f of failures) tlsErrorsOf((f as { error?: unknown })?.error, out, depth + 1)
  return out
}

/** One error's message in the interface's words, its advice after it. */
function phrase(names: TlsOptionNames, e: Phrased): string {
  if (e instanceof BudgetSpentError || e instanceof RequestBudgetError) return budgetWords(names, e)
  if (e instanceof PlatformChoiceError) return `${names.promotePlatforms} ${e.platforms}: ${e.detail}`
  if (e instanceof IndexChildMissingError) return `${e.message}${platformsLeftAdvice(names, e)}`
  if (e instanceof PlainHttpRefusal) return `${e.message}${plainHttpAdvice(names, e)}`
  if (e instanceof PlainHttpAnswerError) return `${e.message}${plainAnswerAdvice(names, e)}`
  if (e instanceof TlsClientCertificateError)
    return `${e.message}; ${clientCertAdvice(names, e.host, e.sentCertificate)}`
  return `${e.message}; ${tlsAdvice(names, e.host, e.peer === 'registry', e.bareListed)}`
}

/** The errors {@link withTlsAdvice} has phrased already. */
const phrased = new WeakSet<Error>()

/**
 * `e` with the advice of {@link tlsAdvice} after each TLS failure its message tells of, of
 * {@link clientCertAdvice} after each client certificate asked for or refused, and of
 * {@link plainHttpAdvice} after each plain-http refusal, of {@link plainAnswerAdvice} after a
 * registry that answered https in plain text, a spent or too small request budget
 * naming its option ({@link budgetWords}), and a platform that cannot be chosen naming the
 * platforms option (`--platform linux/s390x: …`, copy/platforms.ts PlatformChoiceError) (the message of every such error under it, wherever an
 * enclosing message quotes it), e.g.
 * `registry r:5443: TLS certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT); give the CA
 * with --ca-file FILE or NODE_EXTRA_CA_CERTS, or skip its verification with --insecure r:5443`.
 * Edits `e.message` in place (the interface's last word on the error) and returns `e`; a second
 * call adds nothing (also when `e` is itself the TLS error, whose message the first call edited).
 */
export function withTlsAdvice<E>(e: E, names: TlsOptionNames): E {
  if (!(e instanceof Error) || phrased.has(e)) return e
  phrased.add(e)
  const done = new Set<string>()
  for (const tls of tlsErrorsOf(e)) {
    if (done.has(tls.message)) continue
    done.add(tls.message)
    const advised = phrase(names, tls)
    if (e.message.includes(advised)) continue
    e.message = e.message.split(tls.message).join(advised)
  }
  return e
}
