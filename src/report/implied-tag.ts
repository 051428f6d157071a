/**
 * The interface's words for a source that named no tag and whose `latest` does not exist (the
 * engine's copy/promote.ts ManifestNotFoundError says only `REPO:latest does not exist`): which
 * input or argument named it, and that `:latest` was implied. Pure.
 */
import type { ManifestNotFoundError } from '../copy/promote.js'
import { DEFAULT_TAG, formatReference, type Reference } from '../reference/index.js'

/**
 * `e` phrased for a reference given without tag or digest (`given`), when `e` says its repository
 * has no manifest `latest`: `input "source": "127.0.0.1:5000/src/one" names no tag, so :latest was
 * read, and 127.0.0.1:5000/src/one has no tag latest`. Edits `e.message` in place (so a second
 * call finds no `latest does not exist` to replace) and returns `e`; any other error, or a
 * reference that named a tag or a digest, is returned as it is.
 * @param name how the interface names the reference, before its value: `input "source":`, `SRC`, `REF`
 */
export function withImpliedTag<E>(e: E, given: Reference, name: string): E {
  if (!isNotFound(e) || given.tag || given.digest) return e
  const { registry, repository } = e.repo
  if (e.reference !== DEFAULT_TAG || registry !== given.registry || repository !== given.repository) return e
  const shown = formatReference(given)
  const plain = `${registry}/${repository}:${DEFAULT_TAG} does not exist`
  if (e.message.startsWith(plain))
    e.message = `${name} "${shown}" names no tag, so :${DEFAULT_TAG} was read, and ${registry}/${repository} has no tag ${DEFAULT_TAG}${e.message.slice(plain.length)}`
  return e
}

/** By name, not instanceof: the CLI's entry phrases errors without loading the engine (run.ts). */
const isNotFound = (e: unknown): e is ManifestNotFoundError =>
  e instanceof Error && e.name === 'ManifestNotFoundError'
