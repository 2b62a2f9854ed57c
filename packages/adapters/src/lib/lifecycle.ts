import { originOf, type RunningServer, type ServeOptions } from './serve-options.js'

/**
 * `stop` run at most once: every call of the returned `close` gets the first call's promise, so a
 * signal, a shutdown hook and the application may all close the server.
 */
export function closeOnce(stop: () => Promise<void> | void): () => Promise<void> {
  let closing: Promise<void> | undefined
  return () => {
    closing ??= Promise.resolve(stop())
    return closing
  }
}

/**
 * What every adapter's `serve` resolves to once its server listens on `port`: `onListen` is told
 * the address, and aborting `signal` closes the server (at once if it aborted before the listen).
 */
export function listening(
  options: Pick<ServeOptions, 'signal' | 'onListen'> & { readonly hostname: string },
  port: number,
  close: () => Promise<void>,
): RunningServer {
  const { hostname, signal, onListen } = options
  // Deferred: a runtime may call its listen callback before its server object is returned.
  if (signal?.aborted) queueMicrotask(() => void close())
  else signal?.addEventListener('abort', () => void close(), { once: true })
  const url = originOf(hostname, port)
  onListen?.({ hostname, port, url })
  return { hostname, port, url, close }
}
