/**
 * `promote-image ls REPOSITORY`: the tags of a repository (crane ls, skopeo list-tags, regctl tag
 * ls), from the tag list (distribution-spec end-8a/end-8b, every `Link: rel="next"` page).
 */
import { inline, jsonText } from '../report/neutralise.js'
import type { Io } from './io.js'
import { readClient, repositoryName, type ReadCommand } from './registry-read.js'

/**
 * Runs ls; exit status 0. One tag per line in the registry's order (with `--json`, one JSON array
 * of strings); each tag through `inline` (a registry's text, shown on a terminal). A repository
 * the registry does not know lists no tags, and stderr says so.
 * @throws Error when the registry refuses the listing (exit status 1); UsageError for credential flags
 */
export async function runLs(cmd: ReadCommand, io: Io): Promise<number> {
  const r = cmd.reference
  const client = await readClient(cmd, io)
  try {
    const tags = await client.listTags({ registry: r.registry, repository: r.repository })
    if (cmd.json) io.out(jsonText(tags) + '\n')
    else if (tags.length) io.out(tags.map(inline).join('\n') + '\n')
    if (!tags.length) io.log.info(`${repositoryName(r)}: no tags (the repository is empty or does not exist)`)
    return 0
  } finally {
    await client.close()
  }
}
