/**
 * `promote-image ls REPOSITORY`: the tags of a repository (crane ls, skopeo list-tags, regctl tag
 * ls), from the tag list (distribution-spec end-8a/end-8b, every `Link: rel="next"` page).
 */
import { RegistryError } from '../registry/errors.js'
import { clip } from '../report/names.js'
import { inline, jsonText } from '../report/neutralise.js'
import type { Io } from './io.js'
import { readClient, repositoryName, type ReadCommand } from './registry-read.js'

/**
 * Runs ls; exit status 0. One tag per line in the registry's order (with `--json`, one JSON array
 * of strings); each tag through `inline` (a registry's text, shown on a terminal). A repository
 * the registry knows with no tag prints nothing (`[]` with `--json`), and stderr says `REPO: no tags`.
 * @throws Error `REPO has no tags, or does not exist (the registry answered 404 NAME_UNKNOWN: …)`
 *   when the registry answers the listing 404 NAME_UNKNOWN, as distribution does for a repository
 *   it does not know and for one with manifests but no tag (exit status 1, as crane ls; see
 *   missingRepository), `REPO does not exist (…)` for another 404; the RegistryError
 *   when the registry refuses the listing otherwise (exit status 1); UsageError for credential flags
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight and stops a
 *   docker credential helper being asked; run.ts main() then exits 130 / 143
 */
export async function runLs(cmd: ReadCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const r = cmd.reference
  const client = await readClient(cmd, io, signal)
  try {
    const repo = { registry: r.registry, repository: r.repository }
    const tags = await client.listTags(repo, { repositoryMustExist: true }).catch((e: unknown) => {
      throw e instanceof RegistryError && e.status === 404 ? missingRepository(repositoryName(r), e) : e
    })
    if (cmd.json) io.out(jsonText(tags) + '\n')
    else if (tags.length) io.out(tags.map(inline).join('\n') + '\n')
    if (!tags.length) io.log.info(`${repositoryName(r)}: no tags`)
    return 0
  } finally {
    await client.close()
  }
}

/**
 * The error for a tag listing answered 404, naming the repository and the registry's OCI error
 * entries (each message clipped to 200 characters). `NAME_UNKNOWN` is what distribution answers
 * both for a repository it does not know and for one holding manifests by digest but no tag (its
 * tag directory is missing either way), so that answer is not read as "does not exist": `REPO has
 * no tags, or does not exist (the registry answered 404 NAME_UNKNOWN: …, as distribution does for
 * a repository that holds no tag; a manifest pushed by digest alone may still be there: promote-image
 * digest REPO@sha256:…)`. Any other 404: `REPO does not exist (the registry answered 404 …)`.
 */
function missingRepository(name: string, e: RegistryError): Error {
  const said = e.errors.map(x => (x.message ? `${x.code}: ${clip(x.message, 200)}` : x.code)).join('; ')
  const answered = `the registry answered 404${said ? ' ' + said : ''}`
  if (!e.hasCode('NAME_UNKNOWN')) return new Error(`${name} does not exist (${answered})`, { cause: e })
  return new Error(
    `${name} has no tags, or does not exist (${answered}, as distribution does for a repository that holds no tag; a manifest pushed by digest alone may still be there: promote-image digest ${name}@sha256:…)`,
    { cause: e }
  )
}
