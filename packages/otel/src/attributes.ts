import type { Attributes } from '@opentelemetry/api'

/** Attribute sets of one instrumentation, reused: an operation records with a shared, frozen object. */
export class AttributeSets {
  readonly #base: Readonly<Attributes>
  readonly #sets = new Map<string, Readonly<Attributes>>()

  constructor(base: Readonly<Attributes>) {
    this.#base = base
  }

  /**
   * The set named `key`, built once by `build` and merged over the call's own attributes. Values
   * come from closed sets (types, reasons, codes) or registered clients, so the map stays small;
   * past a bound, sets are built each time instead of kept.
   */
  get(key: string, build: () => Attributes): Readonly<Attributes> {
    let set = this.#sets.get(key)
    if (set === undefined) {
      set = Object.freeze({ ...this.#base, ...withoutUndefined(build()) })
      if (this.#sets.size < MAX_SETS) this.#sets.set(key, set)
    }
    return set
  }
}

const MAX_SETS = 2048

/** An attribute whose value is unknown is left out, not recorded as empty. */
function withoutUndefined(attributes: Attributes): Attributes {
  const out: Attributes = {}
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) out[name] = value
  return out
}
