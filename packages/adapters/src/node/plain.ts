import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PlainAnswer } from '@covet/core'

/** Marks a connection on which an answer was sent with "close". */
const CLOSING = Symbol('covet.closingConnection')
type ClosingSocket = { [CLOSING]?: true }

/**
 * Answer on Node's own response, and close the connection: the client already broke the protocol.
 * Nothing after it on the connection is served (see `isClosing`).
 */
export function writePlain(req: IncomingMessage, res: ServerResponse, answer: PlainAnswer): void {
  ;(req.socket as ClosingSocket)[CLOSING] = true
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
    connection: 'close',
  })
  res.end(req.method === 'HEAD' ? undefined : answer.body)
}

/**
 * Whether `req` came on a connection already answered with "close": RFC 9112 §9.6 says no further
 * request on it is processed, and one pipelined behind a refusal may be the refused one's body.
 */
export function isClosing(req: IncomingMessage): boolean {
  return (req.socket as ClosingSocket)[CLOSING] === true
}
