import { randomUUID } from 'node:crypto'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'

/** A prefix no other test file or run shares. */
export function uniquePrefix(file: string): string {
  return `covet-test:${file}:${randomUUID().slice(0, 8)}:`
}

/** A plain client to look at what the store wrote. */
export async function inspector(url = REDIS_URL) {
  return createClient({ url }).connect()
}

/** Delete every key under `prefix`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = await inspector(url)
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys)
    }
  } finally {
    await client.close()
  }
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

export const token = (jti: string, sub = 'alice', iat = nowSeconds(), fid?: string) => ({
  jti,
  sub,
  iat,
  fid,
})

/** Wait for `condition`; the limit only keeps a broken run from hanging, it measures nothing. */
export async function until(condition: () => boolean, limitMs: number): Promise<void> {
  const start = performance.now()
  while (!condition()) {
    if (performance.now() - start > limitMs) throw new Error(`condition not met within ${limitMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Fail every test of the file during which a promise was rejected with nobody listening. */
export function failOnUnhandledRejections(): void {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled)
  })
  afterEach(() => {
    expect(unhandled).toEqual([])
  })
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled)
  })
}
