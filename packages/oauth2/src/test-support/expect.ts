import { expect } from 'vitest'
import type { OAuthErrorCode } from '../errors.js'
import { read } from './fixtures.js'

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }
export const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' }

/** Asserts an RFC 6749 §5.2 error: status, `error`, a description, JSON, no-store and `headers`. */
export async function expectError(
  response: Response,
  status: number,
  error: string,
  headers: Record<string, string> = {},
) {
  const result = await read(response)
  expect(result.status).toBe(status)
  expect(result.body).toEqual({ error, error_description: expect.any(String) })
  expect(result.headers).toMatchObject({ ...JSON_TYPE, ...NO_STORE, ...headers })
  return result
}

/** Every `error` code Covet's OAuth 2 endpoints answer with, in the order `OAuthErrorCode` lists them. */
export const OAUTH_ERRORS: readonly OAuthErrorCode[] = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'temporarily_unavailable',
  'server_error',
  'unsupported_response_type',
  'access_denied',
  'login_required',
  'consent_required',
  'invalid_dpop_proof',
  'use_dpop_nonce',
]
