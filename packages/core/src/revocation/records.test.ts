import { describe, expect, it } from 'vitest'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { MemoryRevocationStore } from './memory-store.js'

function setup(maxEntries?: number) {
  const clock = frozenClock()
  const store = new MemoryRevocationStore({ clock: clock.now, ...(maxEntries && { maxEntries }) })
  return { clock, store }
}

describe('short-lived records (authorization codes, login sessions)', () => {
  it('keeps a record until expiresAt, then forgets it', async () => {
    const { clock, store } = setup()
    await store.putRecord('code:a', '{"s":"issued"}', EPOCH + 60)
    clock.advance(59)
    await expect(store.getRecord('code:a')).resolves.toBe('{"s":"issued"}')
    clock.advance(1)
    await expect(store.getRecord('code:a')).resolves.toBeUndefined()
  })

  it('overwrites a record put again under the same key', async () => {
    const { store } = setup()
    await store.putRecord('session:s', 'one', EPOCH + 60)
    await store.putRecord('session:s', 'two', EPOCH + 60)
    await expect(store.getRecord('session:s')).resolves.toBe('two')
    expect(store.size).toBe(1)
  })

  it('swaps a live record for a new value and answers the old one, keeping its expiry', async () => {
    const { clock, store } = setup()
    await store.putRecord('code:b', 'issued', EPOCH + 10)
    await expect(store.swapRecord('code:b', 'spent')).resolves.toBe('issued')
    await expect(store.swapRecord('code:b', 'reused')).resolves.toBe('spent')
    await expect(store.getRecord('code:b')).resolves.toBe('reused')
    clock.advance(10)
    await expect(store.swapRecord('code:b', 'late')).resolves.toBeUndefined()
  })

  it('leaves an unknown key unknown when asked to swap it, writing nothing', async () => {
    const { store } = setup()
    await expect(store.swapRecord('code:never-issued', 'spent')).resolves.toBeUndefined()
    await expect(store.getRecord('code:never-issued')).resolves.toBeUndefined()
    expect(store.size).toBe(0)
  })

  it('gives the old value to exactly one of 50 concurrent swaps', async () => {
    const { store } = setup()
    await store.putRecord('code:race', 'issued', EPOCH + 60)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => store.swapRecord('code:race', 'spent')),
    )
    expect(answers.filter((answer) => answer === 'issued')).toHaveLength(1)
    expect(answers.filter((answer) => answer === 'spent')).toHaveLength(49)
  })

  it('does not keep a record whose expiry has passed, and counts records against maxEntries', async () => {
    const { store } = setup(1)
    await store.putRecord('old', 'x', EPOCH)
    expect(store.size).toBe(0)
    await store.putRecord('one', 'x', EPOCH + 5)
    await expect(store.putRecord('two', 'x', EPOCH + 5)).rejects.toMatchObject({ code: 'ERR_STORE_FULL' })
  })

  it('does not take records for revocations: a record key never revokes a jti', async () => {
    const { store } = setup()
    await store.putRecord('jti-1', 'x', EPOCH + 60)
    expect(store.isRevoked({ jti: 'jti-1', sub: 'alice', iat: EPOCH })).toBe(false)
  })
})
