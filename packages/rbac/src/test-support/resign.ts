const encoder = new TextEncoder()

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decode(segment: string): Record<string, unknown> {
  return JSON.parse(atob(segment.replace(/-/g, '+').replace(/_/g, '/')))
}

/**
 * `token` (HS256) with some payload claims replaced, signed again with `secret`: how a test gets a
 * genuinely valid token whose claims have shapes `createToken` would refuse to write.
 */
export async function resign(token: string, secret: string, patch: Record<string, unknown>): Promise<string> {
  const [header, payload] = token.split('.') as [string, string]
  const body = base64url(encoder.encode(JSON.stringify({ ...decode(payload), ...patch })))
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(`${header}.${body}`))
  return `${header}.${body}.${base64url(new Uint8Array(signature))}`
}
