import { describe, expect, it } from 'vitest'
import { CONTENDERS } from './contenders.mjs'
import { againstSrvxBare, nodeBaseline, PAIRS } from './pairs.mjs'

describe('the pairs of bench:paired', () => {
  it('run only servers that bench:http runs, sent the token bench:http sends them', () => {
    const known = new Set(CONTENDERS.map(([, runtime, server, token]) => `${runtime} ${server} ${token}`))
    for (const [name, first, second] of PAIRS) {
      expect(known, name).toContain(first.join(' '))
      expect(known, name).toContain(second.join(' '))
    }
  })

  it('pair two servers of one runtime, each sent the same kind of token', () => {
    for (const [name, first, second] of PAIRS) {
      expect(first[0], name).toBe(second[0])
      expect(first[2].replace('forged ', ''), name).toBe(second[2].replace('forged ', ''))
    }
  })

  it('have names of their own', () => {
    expect(new Set(PAIRS.map(([name]) => name)).size).toBe(PAIRS.length)
  })

  it('include a control of each runtime: one server paired with itself, with no target', () => {
    const controls = PAIRS.filter(([, first, second]) => first.join() === second.join())
    expect(controls.map(([, [runtime]]) => runtime)).toEqual(['node', 'bun', 'deno'])
    expect(controls.every(([, , , target]) => target === undefined)).toBe(true)
  })

  it('know which compare a server with bare srvx', () => {
    const names = PAIRS.filter(againstSrvxBare).map(([name]) => name)
    expect(names).toContain('node README handler HS256 cache on vs srvx bare')
    expect(names).not.toContain('node cache off vs jose by hand, HS256')
  })
})

describe('the Node baseline of the pairs', () => {
  const result = (name, ratio) => ({ name, ratio })

  it('is srvx bare while no other bare server outran it', () => {
    const results = [
      result('node hono bare vs srvx bare', 0.93),
      result('node @whatwg-node/server bare vs srvx bare', 0.71),
    ]
    expect(nodeBaseline(results)).toEqual({
      toSrvx: { 'srvx bare': 1, 'hono bare': 0.93, '@whatwg-node/server bare': 0.71 },
      fastest: 'srvx bare',
      factor: 1,
    })
  })

  it('is the bare server that outran srvx, by how much', () => {
    const results = [result('node hono bare vs srvx bare', 1.04)]
    expect(nodeBaseline(results)).toMatchObject({ fastest: 'hono bare', factor: 1.04 })
  })
})
