import type { JWTVerifyOptions } from 'jose'

/** The claim rules jose checks for one source of tokens (Covet's own keys, a remote key set, an issuer). */
export interface JoseRules {
  readonly issuer: string | undefined
  readonly audience: string | readonly string[] | undefined
  readonly clockTolerance: number
  readonly requiredClaims: readonly string[]
  /** Milliseconds since the epoch. */
  readonly clock: () => number
}

/**
 * A memo of jose's verify options for one source, owned by the `JwtAuth` that uses it: built once
 * per algorithm list and frozen so every verification shares them; only a custom clock adds a
 * per-call date.
 */
export class JoseOptions {
  readonly #rules: JoseRules
  readonly #byAlgorithms = new Map<string, JWTVerifyOptions>()

  constructor(rules: JoseRules) {
    this.#rules = rules
  }

  /** The options allowing exactly `algorithms`; `key` names the list (default: the list joined). */
  for(algorithms: readonly string[], key = algorithms.join()): JWTVerifyOptions {
    let options = this.#byAlgorithms.get(key)
    if (options === undefined) {
      const rules = this.#rules
      options = Object.freeze({
        issuer: rules.issuer,
        audience: rules.audience as string | string[] | undefined,
        clockTolerance: rules.clockTolerance,
        requiredClaims: [...rules.requiredClaims],
        algorithms: [...algorithms],
      })
      this.#byAlgorithms.set(key, options)
    }
    const { clock } = this.#rules
    return clock === Date.now ? options : { ...options, currentDate: new Date(clock()) }
  }
}
