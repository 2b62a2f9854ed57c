import { type CompactJWSHeaderParameters, CompactSign, decodeJwt, decodeProtectedHeader } from 'jose'

const encoder = new TextEncoder()

/**
 * `token` (HS256) with some payload claims replaced, signed again with `secret`: how a test gets a
 * genuinely valid token whose claims have shapes `createToken` would refuse to write.
 */
export async function resign(token: string, secret: string, patch: Record<string, unknown>): Promise<string> {
  const payload = encoder.encode(JSON.stringify({ ...decodeJwt(token), ...patch }))
  return new CompactSign(payload)
    .setProtectedHeader(decodeProtectedHeader(token) as CompactJWSHeaderParameters)
    .sign(encoder.encode(secret))
}
