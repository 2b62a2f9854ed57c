/** Exempt in `proxy.ts`: no token needed, and a client-sent identity header never arrives. */
import { getProxyAuth } from '@covet/adapters/next'

export async function GET(request: Request): Promise<Response> {
  const who = await getProxyAuth(request)
  return Response.json({
    identityHeader: request.headers.has('x-covet-identity'),
    subject: who?.subject ?? null,
  })
}
