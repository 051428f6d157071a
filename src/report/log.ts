/**
 * Lines of the action's log that close a promotion: each secret masked once, each referrer and
 * cosign tag copied named, and the one-line result (`promoted REPO@sha256:… to N targets (tags …)`).
 * Registry text in them is neutralised by the logger they go through (format.ts logSafe). Pure.
 */
import { namingTags, type PromotePlan, type PromoteResult } from '../copy/promote.js'
import { promotedDigest, sourceDigestIfOther } from './selection.js'

/**
 * A masker that passes each distinct secret to `setSecret` once (the runner masks a value for the
 * rest of the job, so a second `::add-mask::` of it only adds noise); empty strings are skipped.
 * @param setSecret `core.setSecret`
 */
export function maskOnce(setSecret: (secret: string) => void): (secret: string) => void {
  const masked = new Set<string>()
  return secret => {
    if (!secret || masked.has(secret)) return
    masked.add(secret)
    setSecret(secret)
  }
}

/**
 * A line per referrer pushed and per referrers or cosign tag written at each target, in plan order:
 * `referrer sha256:… (artifact type) of sha256:… pushed to REG/REPO, listed by tag sha256-…`,
 * `cosign tag sha256-….sig → sha256:… created at REG/REPO`, `referrers tag sha256-… created at
 * REG/REPO`. What was already there is not listed. A dry run's plan gives [] (planText lists it).
 */
export function copiedArtifactLines(plan: PromotePlan): string[] {
  if (plan.dryRun) return []
  const done = { create: 'created', move: 'moved', keep: 'kept', hold: 'kept' } as const
  return plan.targets.flatMap(t => [
    ...(t.referrers ?? [])
      .filter(r => r.action === 'push')
      .map(
        r =>
          `referrer ${r.digest} (${r.artifactType ?? 'no artifact type'}) of ${r.subject} pushed to ${t.target}, listed by ${r.listedBy === 'referrers API' ? 'its referrers API' : `tag ${r.listedBy}`}`
      ),
    ...t.referrerTags
      .filter(x => x.action !== 'keep')
      .map(x => `referrers tag ${x.tag} ${done[x.action]} at ${t.target}`),
    ...(t.signatureTags ?? [])
      .filter(s => s.action !== 'keep')
      .map(
        s =>
          `cosign tag ${s.tag} → ${s.digest} ${done[s.action]} at ${t.target}${s.from && s.action === 'move' ? ` (was ${s.from}${s.appends ? '; signatures added, none dropped' : ''})` : ''}`
      )
  ])
}

/**
 * The log's last line for a promotion: `promoted REG/REPO@sha256:… to 2 targets (tags v1.4.2,
 * latest)`; `(by digest only)` without tags; a dry run says `would promote … (dry run: nothing
 * written)`, or, after a build that pushed `built` to staging, `(dry run: nothing written to the
 * targets; the build pushed REG/REPO:sha-… to the staging registry)`. With a platform selection that promoted another digest than the source's (selection.ts
 * promotedDigest), each digest is named where it exists: `promoted sha256:<promoted> (linux/arm64
 * of REG/REPO@sha256:<source>) to 1 target (tags v1)`.
 * With no targets: `no targets: REG/REPO@sha256:… is at staging, nothing was promoted`.
 * @param source the source repository as `registry/repository` (the staging repository)
 * @param built the reference a build of this run pushed to staging (none: nothing was built, or a
 *   staged image was reused)
 */
export function promotedLine(source: string, result: PromoteResult, built?: string): string {
  const { plan } = result
  const n = plan.targets.length
  // no targets (a per-platform job of a merge, a staging-only build): nothing to promote
  if (!n) return `no targets: ${source}@${promotedDigest(plan)} is at staging, nothing was promoted`
  // a held rolling tag (plan.ts namingTags) still names a newer release: not this image's
  const tags = [...new Set(plan.targets.flatMap(namingTags))]
  const from = sourceDigestIfOther(plan)
  const image = from
    ? `${promotedDigest(plan)} (${plan.source.selection!.platforms.join(', ')} of ${source}@${from})`
    : `${source}@${promotedDigest(plan)}`
  const what = `${image} to ${n} target${n === 1 ? '' : 's'} (${tags.length ? `tags ${tags.join(', ')}` : 'by digest only'})`
  if (!plan.dryRun) return `promoted ${what}`
  const written = built ? ` to the targets; the build pushed ${built} to the staging registry` : ''
  return `would promote ${what} (dry run: nothing written${written})`
}
