/**
 * Reads the Actions context from the runner: the environment plus the event payload file at
 * `GITHUB_EVENT_PATH`. The only file I/O in tags/; everything else is pure.
 */
import { readFileSync } from 'node:fs'
import { contextFromGitHub, type Env, type TagContext } from './context.js'

/**
 * Builds the context from `env` (default `process.env`) and the JSON payload at `GITHUB_EVENT_PATH`
 * (absent or unreadable path → empty payload). Throws Error when the payload file is not JSON.
 */
export function readGitHubContext(env: Env = process.env): TagContext {
  let payload: unknown = {}
  const path = env.GITHUB_EVENT_PATH
  if (path) {
    let text: string | undefined
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      text = undefined
    }
    if (text !== undefined) {
      try {
        payload = JSON.parse(text)
      } catch (e) {
        throw new Error(`GITHUB_EVENT_PATH ${path} is not JSON: ${(e as Error).message}`)
      }
    }
  }
  return contextFromGitHub(env, payload)
}
