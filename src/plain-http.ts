/**
 * A refusal to go from https to plain http, or to send credentials over plain http, that a
 * listed insecure host would allow: the facts only (which host, from where, to where); the
 * interface phrases how to list the host (report/tls-words.ts: `--insecure HOST` in the CLI,
 * `insecure-registries` in the action). Shared by registry/ (redirects, URLs a registry gives) and
 * auth/ (token realms), so neither imports the other for it.
 */
export class PlainHttpRefusal extends Error {
  constructor(
    /**
     * `redirect`: a redirect or a URL the registry gave leads from https to plain http;
     * `realm`: credentials to a plain-http token realm on a host neither loopback nor listed;
     * `realm-host`: credentials to a plain-http token realm off the registry's own host
     */
    readonly rule: 'redirect' | 'realm' | 'realm-host',
    /** the host[:port] that listing as insecure would allow */
    readonly host: string,
    /** where the move starts (the URL that answered, or the registry host[:port]) */
    readonly from: string,
    /** where it leads (redacted URL) */
    readonly to: string,
    /** what was refused, without advice */
    message: string
  ) {
    super(message)
    this.name = 'PlainHttpRefusal'
  }
}
