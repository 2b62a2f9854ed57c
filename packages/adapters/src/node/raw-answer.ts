import type { PlainAnswer } from '@covet/core'

/**
 * `answer` as the bytes of a whole HTTP/1.1 response that closes its connection, for a socket no
 * `ServerResponse` owns (Node's `clientError`, a request refused from a diagnostics hook). `reason`
 * is the status line's reason phrase; a HEAD request gets the headers only (RFC 9110 §9.3.2).
 */
export function rawAnswer(answer: PlainAnswer, reason: string, method?: string): string {
  const lines = Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}\r\n`)
  const body = method === 'HEAD' ? '' : answer.body
  return `HTTP/1.1 ${answer.status} ${reason}\r\n${lines.join('')}content-length: ${Buffer.byteLength(answer.body)}\r\nconnection: close\r\n\r\n${body}`
}
