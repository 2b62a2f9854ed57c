import { connect } from 'node:net'

/** A token endpoint request with HTTP Basic client authentication (RFC 6749 §2.3.1). */
export function tokenRequest(
  base: string,
  client: [string, string],
  form: Record<string, string>,
): Promise<Response> {
  return fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client[0]}:${client[1]}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form),
  })
}

export const DEMO_APP: [string, string] = ['demo-app', 'demo-app-secret']
export const REPORTING: [string, string] = ['reporting-service', 'reporting-service-secret']

/** Logs `username` in through demo-app; fails the test unless the endpoint answers 200. */
export async function login(
  base: string,
  username: string,
  scope?: string,
): Promise<{ access_token: string; refresh_token: string; expires_in: number; scope?: string }> {
  const response = await tokenRequest(base, DEMO_APP, {
    grant_type: 'password',
    username,
    password: `${username}-password`,
    ...(scope ? { scope } : {}),
  })
  if (response.status !== 200)
    throw new Error(`login of ${username}: ${response.status} ${await response.text()}`)
  return response.json() as never
}

/** GET with a bearer token. */
export function bearer(url: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${token}` } })
}

/** Send raw HTTP/1.1 bytes and resolve the raw answer (for what fetch cannot send: repeated headers). */
export function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
    })
    socket.on('end', () => resolve(answer))
    socket.on('error', reject)
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')))
  })
}
