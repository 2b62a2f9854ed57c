/** Trusts the identity `proxy.ts` verified and forwarded; verifies nothing itself. */
import { getProxyAuth } from '@covet/adapters/next'

export async function GET(request: Request): Promise<Response> {
  const who = await getProxyAuth(request)
  return Response.json({ subject: who?.subject ?? null, roles: who?.roles ?? [] })
}
