import { StoreUnavailableError } from '@covet/core'

/**
 * Settle `promise` within `ms` milliseconds, or reject with `StoreUnavailableError`. Every Redis
 * call goes through here: node-redis stops timing a command once it is written to the socket, so
 * a server that accepts the connection and never answers would otherwise hang the caller.
 */
export function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(`The revocation store did not answer within ${ms} ms`)),
      ms,
    )
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Any failure of a Redis call, as the error Covet's verification understands (HTTP 503). */
export function unavailable(cause: unknown): StoreUnavailableError {
  if (cause instanceof StoreUnavailableError) return cause
  return new StoreUnavailableError('The revocation store is unavailable', { cause })
}
