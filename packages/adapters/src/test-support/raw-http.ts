import { connect } from 'node:net'

/** A response read byte for byte, every header line kept (duplicates included, names lower-cased). */
export interface RawResponse {
  status: number
  /** The reason phrase of the status line (RFC 9112 §4), possibly empty. */
  reason: string
  headers: [string, string][]
  header(name: string): string | undefined
  body: string
}

/**
 * Send `head` (request line and header lines, without the final blank line) over a fresh socket,
 * exactly as written: no normalisation of the path, no merging of headers.
 */
export function rawRequest(port: number, head: string, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      try {
        resolve(parse(Buffer.concat(chunks).toString('latin1')))
      } catch (error) {
        reject(error)
      }
    })
    socket.write(`${head}\r\nConnection: close\r\n\r\n`)
  })
}

function parse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n')
  if (split === -1) throw new Error(`incomplete response: ${JSON.stringify(text.slice(0, 200))}`)
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n')
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':')
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
  })
  const header = (name: string) => headers.find(([key]) => key === name)?.[1]
  let body = text.slice(split + 4)
  if (header('transfer-encoding')?.toLowerCase() === 'chunked') body = dechunk(body)
  return {
    status: Number(statusLine.split(' ')[1]),
    reason: statusLine.split(' ').slice(2).join(' '),
    headers,
    header,
    body: Buffer.from(body, 'latin1').toString('utf8'),
  }
}

function dechunk(body: string): string {
  let out = ''
  let at = 0
  for (;;) {
    const eol = body.indexOf('\r\n', at)
    const size = Number.parseInt(body.slice(at, eol), 16)
    if (!(size > 0)) return out
    out += body.slice(eol + 2, eol + 2 + size)
    at = eol + 2 + size + 2
  }
}
