import { PROBLEM_CONTENT_TYPE } from '@covet/core'

const TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed' }

/** A JSON answer that is never cached (it describes one identity). */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  })
}

/** An RFC 9457 problem answer for the demo's own errors (404, 405, a bad logout body). */
export function problem(status: number, detail: string, headers: Record<string, string> = {}): Response {
  return new Response(
    JSON.stringify({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail }),
    {
      status,
      headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
    },
  )
}

/** RFC 9110 §15.5.6: 405 names the methods the resource supports. */
export function methodNotAllowed(allow: string): Response {
  return problem(405, `Use ${allow}`, { allow })
}
