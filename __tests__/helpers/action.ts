/** Reading what the action's entry point wrote, as the runner would. */

/** Parses a GITHUB_OUTPUT file (`name<<ghadelimiter_…` blocks, as @actions/core writes them). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const re = /^(.+?)<<(ghadelimiter_[^\n]+)\n([\s\S]*?)\n\2$/gm
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[3]
  return out
}
