import { createJwtAuth, withJwtAuth } from '@covet/core'
import { describe, expect, it } from 'vitest'
import { guardErrors, guardHandler } from './guard.js'

// The adapters' two rules, on Fetch objects alone: refuse a malformed request, and answer an escaped
// error with a bare 500; a response given at once is handed on at once.
const request = (url = 'http://api.test/me', host = 'api.test') => new Request(url, { headers: { host } })

describe('guardErrors', () => {
  it('hands on the very response a handler gives at once, without a promise', () => {
    const response = new Response('ok')
    const reported: unknown[] = []
    const answer = guardErrors(
      () => response,
      (error) => reported.push(error),
    )(request())
    expect(answer).toBe(response)
    expect(reported).toEqual([])
  })

  it('answers a thrown error with a bare 500 problem, reported, through a promise', async () => {
    const reported: unknown[] = []
    const failure = new Error('secret detail at /srv/app.ts:1')
    const answer = guardErrors(
      () => {
        throw failure
      },
      (error) => reported.push(error),
    )(request())
    expect(answer).toBeInstanceOf(Promise)
    const response = await answer
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await response.text()).not.toContain('secret')
    expect(reported).toEqual([failure])
  })

  it('answers a rejected promise with the same bare 500', async () => {
    const reported: unknown[] = []
    const response = await guardErrors(
      () => Promise.reject(new TypeError('later')),
      (error) => reported.push(error),
    )(request())
    expect(response.status).toBe(500)
    expect(reported).toHaveLength(1)
  })

  it('hands the handler exactly as many arguments as it was called with, each as it was', () => {
    const seen: unknown[][] = []
    const guarded = guardErrors(
      (_request: Request, ...rest: unknown[]) => {
        seen.push(rest)
        return new Response('ok')
      },
      () => undefined,
    )
    const server = { port: 1 }
    const list = [1, 2]
    guarded(request())
    guarded(request(), server)
    guarded(request(), undefined)
    guarded(request(), list)
    guarded(request(), server, list, undefined)
    expect(seen).toEqual([[], [server], [undefined], [list], [server, list, undefined]])
    expect(seen[1]![0]).toBe(server)
    expect(seen[3]![0]).toBe(list)
  })

  it('rethrows an error the runtime must see itself', async () => {
    const signal = Object.assign(new Error('redirect'), { digest: 'NEXT_REDIRECT' })
    const guarded = guardErrors(
      () => {
        throw signal
      },
      () => undefined,
      (error) => error === signal,
    )
    await expect(guarded(request())).rejects.toBe(signal)
  })
})

describe('guardHandler', () => {
  it('refuses a malformed Host at once with 400, and never calls the handler', async () => {
    let called = false
    const answer = guardHandler(
      () => {
        called = true
        return new Response('ok')
      },
      () => undefined,
    )(request('http://api.test/me', 'a\\admin'))
    expect(answer).toBeInstanceOf(Response)
    expect((answer as Response).status).toBe(400)
    expect(called).toBe(false)
  })

  it('hands a handler it checks itself exactly the arguments it was called with', () => {
    const seen: unknown[][] = []
    const guarded = guardHandler(
      (_request: Request, ...rest: unknown[]) => {
        seen.push(rest)
        return new Response('ok')
      },
      () => undefined,
    )
    const info = { remoteAddr: 'x' }
    guarded(request())
    guarded(request(), info)
    guarded(request(), undefined)
    guarded(request(), info, 2)
    expect(seen).toEqual([[], [info], [undefined], [info, 2]])
    expect(seen[1]![0]).toBe(info)
  })
})

describe('guardHandler in front of withJwtAuth', () => {
  const malformed = () => request('http://api.test/me', 'a\\admin')
  const parts = async (response: Response) => ({
    status: response.status,
    headers: [...response.headers],
    body: await response.text(),
  })

  it('lets withJwtAuth without a hook refuse a malformed request itself, with the adapter’s very answer', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'guard-tests-secret-0123456789abcdef' })
    const protectedHandler = withJwtAuth(() => new Response('ok'), { auth })
    const plain = guardHandler(
      () => new Response('never'),
      () => undefined,
    )(malformed()) as Response
    const throughCovet = await guardHandler(protectedHandler, () => undefined)(malformed())
    expect(await parts(throughCovet)).toEqual(await parts(plain))
    expect(throughCovet.status).toBe(400)
  })

  it('still refuses a malformed request itself in front of withJwtAuth with an onError hook', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'guard-tests-secret-0123456789abcdef' })
    const seen: unknown[] = []
    const protectedHandler = withJwtAuth(() => new Response('ok'), {
      auth,
      onError: (error) => {
        seen.push(error)
        return new Response('the hook answered', { status: 418 })
      },
    })
    const answer = await guardHandler(protectedHandler, () => undefined)(malformed())
    expect(answer.status).toBe(400)
    expect(seen).toEqual([])
  })
})
