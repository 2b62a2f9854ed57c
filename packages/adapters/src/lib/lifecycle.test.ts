import { describe, expect, it } from 'vitest'
import { closeOnce, listening } from './lifecycle.js'

describe('closeOnce', () => {
  it('stops the server once, however often close is called, and every call waits for that stop', async () => {
    let stops = 0
    let finish = () => {}
    const close = closeOnce(() => {
      stops++
      return new Promise<void>((resolve) => {
        finish = resolve
      })
    })
    const first = close()
    const second = close()
    expect(second).toBe(first)
    expect(stops).toBe(1)
    finish()
    await Promise.all([first, second])
    await close()
    expect(stops).toBe(1)
  })
})

describe('listening', () => {
  it('tells onListen the address and returns the running server', async () => {
    const heard: unknown[] = []
    const close = closeOnce(() => {})
    const server = listening({ hostname: '::1', onListen: (address) => heard.push(address) }, 8080, close)
    expect(heard).toEqual([{ hostname: '::1', port: 8080, url: 'http://[::1]:8080' }])
    expect(server).toEqual({ hostname: '::1', port: 8080, url: 'http://[::1]:8080', close })
  })

  it('closes the server when the signal aborts', async () => {
    let stops = 0
    const controller = new AbortController()
    listening(
      { hostname: '127.0.0.1', signal: controller.signal },
      1,
      closeOnce(() => void stops++),
    )
    expect(stops).toBe(0)
    controller.abort()
    controller.abort()
    expect(stops).toBe(1)
  })

  it('closes at once a server whose signal aborted before it listened', async () => {
    let stops = 0
    listening(
      { hostname: '127.0.0.1', signal: AbortSignal.abort() },
      1,
      closeOnce(() => void stops++),
    )
    await Promise.resolve()
    expect(stops).toBe(1)
  })
})
