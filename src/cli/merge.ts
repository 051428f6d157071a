/**
 * `promote-image merge --to STAGING-REF [--require-platform PLATFORM]... SOURCE...` (issue 21): platform
 * images built apart merged into one index at STAGING-REF, on the engine the action's `merge` input
 * runs (src/merge/): each child byte for byte, its platform from its config, its attestations kept;
 * the same children give the same digest, and a tag already serving it is not written again.
 */
import { mergeImages } from '../merge/merge.js'
import { mergeTag } from '../merge/stage.js'
import { parseMergeSource } from '../merge/sources.js'
import { jsonText } from '../report/neutralise.js'
import { formatReference } from '../reference/index.js'
import type { MergeCommand } from './args.js'
import type { Io } from './io.js'
import { commandClient } from './registry-read.js'
import { UsageError } from './usage-error.js'

/**
 * Runs merge; exit status 0. Stdout: the index's digest and a line break; with `--json`
 * `{"reference", "digest", "mediaType", "platforms", "written", "manifestsPushed", "copiedIn"}`;
 * with `--dry-run` `{"reference", "digest", "mediaType", "platforms", "index"}` (the index it would
 * write, parsed) and nothing written. What was merged goes to stderr. `staged` means the platform
 * images of commit $GITHUB_SHA; `--to` without a tag is `sha-<its first 12 hex>`.
 * @param signal aborting it (SIGINT / SIGTERM) ends the requests in flight and the copying-in of
 *   children from other repositories; the index, once its PUT started, is written
 * @throws UsageError (exit status 2, nothing sent) for `--to` without a tag, or `staged`, when no
 *   commit is known;
 *   MergeError (exit status 1, nothing written) naming every problem the sources have: not found,
 *   two of one platform, a required platform missing, `staged` without a commit or with no image
 *   of it; the registries' errors (exit status 1); InterruptedError (exit status 130 / 143) when the
 *   signal ended it before the index was written
 */
export async function runMerge(cmd: MergeCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const commit = (io.env ?? process.env).GITHUB_SHA || undefined
  const { to, sources } = mergeArguments(cmd, commit)
  const client = await commandClient(
    cmd,
    {
      source: to.registry,
      destinations: [to.registry],
      flags: { source: '--creds', destinations: '--creds' }
    },
    io,
    signal
  )
  try {
    const result = await mergeImages(client, {
      to,
      sources,
      commit,
      require: cmd.platforms,
      requireInput: '--require-platform',
      input: 'SOURCE',
      dryRun: cmd.dryRun,
      logger: io.log,
      signal
    })
    io.out(mergeResultText(cmd, result))
    return 0
  } finally {
    await client.close()
  }
}

/**
 * `--to` and the SOURCE arguments as the merge takes them: the tag `--to` gives or the commit's
 * (`sha-COMMIT12`), each source parsed against that repository.
 * @throws UsageError (exit status 2): `--to` without a tag and no commit, `staged` without a commit,
 *   a source that does not parse
 */
function mergeArguments(
  cmd: MergeCommand,
  commit: string | undefined
): {
  to: { registry: string; repository: string; tag: string }
  sources: ReturnType<typeof parseMergeSource>[]
} {
  const staged = !commit && cmd.sources.includes('staged')
  // both need the commit: named in one message, so following it does not meet the other
  if (staged && !cmd.to.tag)
    throw new UsageError(
      `--to ${formatReference(cmd.to)} (no tag) and SOURCE staged both need the commit $GITHUB_SHA, which is not set (merge reads no git checkout): set it (GITHUB_SHA=$(git rev-parse HEAD) for the checkout's commit), or give --to a tag and name the sources`
    )
  if (staged)
    throw new UsageError(
      "SOURCE staged means the platform images of commit $GITHUB_SHA, which is not set (merge reads no git checkout): set it (GITHUB_SHA=$(git rev-parse HEAD) for the checkout's commit), or name the sources"
    )
  let tag: string
  try {
    tag = mergeTag(cmd.to, commit, '--to')
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  const to = { registry: cmd.to.registry, repository: cmd.to.repository, tag }
  return { to, sources: cmd.sources.map(s => parseMergeSource(s, to, 'SOURCE')) }
}

/** What `merge` prints on stdout: the plan as JSON (`--dry-run`), the result as JSON (`--json`), else the index's digest. */
function mergeResultText(cmd: MergeCommand, result: Awaited<ReturnType<typeof mergeImages>>): string {
  const what = {
    reference: result.reference,
    digest: result.digest,
    mediaType: result.mediaType,
    platforms: result.plan.platforms
  }
  if (cmd.dryRun) return jsonText({ ...what, index: result.index.json }, 2) + '\n'
  if (cmd.json)
    return (
      jsonText(
        {
          ...what,
          written: result.indexWritten,
          manifestsPushed: result.manifestsPushed,
          copiedIn: result.copiedIn
        },
        2
      ) + '\n'
    )
  return `${result.digest}\n`
}
