/** The real `createJwtAuth` + `withJwtAuth` setup the guard tests share, and their exact-answer assertions. */
import { createJwtAuth, type GrantOptions, getAuth, withJwtAuth } from '@covet/core'
import { expect } from 'vitest'
import type { Handler } from '../guards/guard.js'
import { RbacManager } from '../manager.js'

export const SECRET = 'rbac-guard-tests-secret-0123456789abcdef'
const NOW = Date.UTC(2026, 0, 1, 12)
export const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: SECRET,
  issuer: 'https://issuer.test',
  clock: () => NOW,
})

export const rbac = new RbacManager({
  roles: {
    viewer: { permissions: ['posts:read'] },
    editor: { permissions: ['posts:*'], parents: ['viewer'] },
    admin: { permissions: ['users:*'], parents: ['editor'] },
  },
})

export const ok: Handler = (request) => Response.json({ subject: getAuth(request)?.subject ?? null })

/** `handler` behind `withJwtAuth`, as an application mounts it. */
export const mount = (handler: Handler) =>
  withJwtAuth(handler, { auth, realm: 'api', optionalPaths: ['/public/*'] })

export async function call(handler: Handler, grant?: GrantOptions, path = '/resource'): Promise<Response> {
  const headers: Record<string, string> = {}
  if (grant !== undefined) headers.authorization = `Bearer ${await auth.createToken('alice', grant)}`
  return mount(handler)(new Request(`https://api.test${path}`, { headers }))
}

const forbidden = (detail: string) => ({
  type: 'about:blank',
  title: 'Forbidden',
  status: 403,
  detail,
  code: 'ERR_INSUFFICIENT_SCOPE',
})

const challenge = (detail: string, scope: string) =>
  `Bearer realm="api", error="insufficient_scope", error_description="${detail}", scope="${scope}"`

export async function expectForbidden(res: Response, detail: string, scope: string): Promise<void> {
  expect(res.status).toBe(403)
  expect(res.headers.get('www-authenticate')).toBe(challenge(detail, scope))
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  expect(res.headers.get('cache-control')).toBe('no-store')
  expect(await res.json()).toEqual(forbidden(detail))
}
