/**
 * Target identity: a target is a repository on a registry, compared by {@link targetKey}
 * (reference/hosts.ts repositoryKey: Docker Hub aliases and `library/` folded, case-insensitive host). A target
 * listed twice is one target with the tags of both entries. Pure.
 */
import type { Repository } from '../registry/api.js'
import { repositoryKey } from '../reference/hosts.js'

/** A promotion target as the caller lists it. */
export interface PromoteTarget {
  repo: Repository
  /** tags to point at the promoted digest (may be empty: by digest only) */
  tags: string[]
}

/** One target after merging repeats: its identity, the repository first given, the merged tags. */
export interface Target {
  /** identity: {@link targetKey} */
  key: string
  repo: Repository
  /** the tags of every entry naming this target, in order, each once */
  tags: string[]
}

/** `registry/repository` as the caller wrote it (plan and result entries, messages). */
export function formatRepo(r: Repository): string {
  return `${r.registry}/${r.repository}`
}

/**
 * The identity of a target repository (reference/hosts.ts repositoryKey): Docker Hub's aliases and
 * `library/` folded, https's `:443` dropped, the host lower-cased (`index.docker.io/x/y` →
 * `docker.io/x/y`, `registry-1.docker.io/nginx` → `docker.io/library/nginx`). The one key of targets
 * for promote(), the action's per-target tags, the CLI's DST list and promotion files.
 */
export function targetKey(r: Pick<Repository, 'registry' | 'repository'>): string {
  return repositoryKey(r.registry, r.repository)
}

/**
 * Merges entries naming the same target (by {@link targetKey}) into one, at the place of its first
 * entry and with that entry's repository; tags in order of appearance, duplicates dropped.
 * `[{X,[a]}, {Y,[c]}, {X,[b,a]}]` → `[{X,[a,b]}, {Y,[c]}]`.
 */
export function mergeTargets(targets: PromoteTarget[]): Target[] {
  const byKey = new Map<string, Target>()
  for (const t of targets) {
    const key = targetKey(t.repo)
    const target = byKey.get(key) ?? { key, repo: t.repo, tags: [] }
    byKey.set(key, target)
    for (const tag of t.tags) if (!target.tags.includes(tag)) target.tags.push(tag)
  }
  return [...byKey.values()]
}
