import type { RedisClient } from '../options.js'

/**
 * The value of one Redis setting (`CONFIG GET name`), or `undefined` when the reply does not hold
 * it. Rejects when the server refuses CONFIG (managed services often rename or forbid it).
 */
export async function configGet(client: RedisClient, name: string): Promise<string | undefined> {
  const reply = (await client.sendCommand(['CONFIG', 'GET', name])) as unknown
  // CONFIG GET answers a flat array in RESP2 and a map in RESP3.
  if (Array.isArray(reply)) return reply[1] === undefined ? undefined : String(reply[1])
  if (reply instanceof Map) return reply.get(name)?.toString()
  if (typeof reply === 'object' && reply !== null) {
    const value = (reply as Record<string, unknown>)[name]
    return value === undefined ? undefined : String(value)
  }
  return undefined
}
