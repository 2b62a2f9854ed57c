import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PlainAnswer } from '@covet/core'

/** Answer on Node's own response, and close the connection: the client already broke the protocol. */
export function writePlain(req: IncomingMessage, res: ServerResponse, answer: PlainAnswer): void {
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
    connection: 'close',
  })
  res.end(req.method === 'HEAD' ? undefined : answer.body)
}
