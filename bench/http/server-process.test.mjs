import { describe, expect, it } from 'vitest'
import { startBoth } from './server-process.mjs'

/** A stand-in for startServerProcess: records what it started and stopped, fails for `broken`. */
function fakeStarter() {
  const running = new Set()
  const start = async (name) => {
    if (name === 'broken') throw new Error('broken exited')
    running.add(name)
    return { name, stop: async () => void running.delete(name) }
  }
  return { start, running }
}

describe('starting the two servers of a pair', () => {
  it('gives both servers, in order, when both start', async () => {
    const { start, running } = fakeStarter()
    const servers = await startBoth(start, 'first', 'second')
    expect(servers.map((server) => server.name)).toEqual(['first', 'second'])
    expect([...running]).toEqual(['first', 'second'])
  })

  it('stops the first server when the second cannot start, and passes the error on', async () => {
    const { start, running } = fakeStarter()
    await expect(startBoth(start, 'first', 'broken')).rejects.toThrow('broken exited')
    expect(running.size).toBe(0)
  })

  it('starts no second server when the first cannot start', async () => {
    const { start, running } = fakeStarter()
    await expect(startBoth(start, 'broken', 'second')).rejects.toThrow('broken exited')
    expect(running.size).toBe(0)
  })
})
