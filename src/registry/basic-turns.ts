/**
 * Turns for Basic credentials no answer has accepted yet: one request at a time per registry.
 */
import { AuthError } from '../auth/authenticator.js'

/** How the first request carrying a registry's Basic credentials ended, for those waiting on it. */
export type FirstUse = 'accepted' | 'inconclusive' | AuthError

/**
 * Basic credentials that no answer has accepted yet go out on one request at a time, per registry:
 * the first request carries them alone; the others wait for its answer and then go at once
 * (accepted), take the next turn (no answer), or fail with the same refusal without being sent
 * (refused). A wrong password thus costs one refused request, not one per request of a parallel
 * wave (registries that lock accounts count each). Tokens need no such turn: one token request
 * per scope set already stands for every request of the set (auth/authenticator.ts).
 */
export class BasicTurns {
  private readonly accepted = new Set<string>()
  private readonly pending = new Map<string, Promise<FirstUse>>()

  /**
   * Waits for this request's turn on `registry`.
   * @returns a function that reports how the turn ended, or undefined when the credentials were
   *   already accepted (no turn needed)
   * @throws the AuthError of the first request when the registry refused them
   */
  async take(registry: string): Promise<((outcome: FirstUse) => void) | undefined> {
    for (;;) {
      if (this.accepted.has(registry)) return undefined
      const waiting = this.pending.get(registry)
      if (!waiting) break
      const outcome = await waiting
      if (outcome instanceof AuthError) throw outcome
    }
    let settle!: (outcome: FirstUse) => void
    this.pending.set(registry, new Promise<FirstUse>(r => (settle = r)))
    return outcome => {
      if (outcome === 'accepted') this.accepted.add(registry)
      this.pending.delete(registry)
      settle(outcome)
    }
  }
}
