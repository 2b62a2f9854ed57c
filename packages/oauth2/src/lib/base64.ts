const STANDARD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const UNPADDED = /^[A-Za-z0-9+/]*$/

/** Standard base64 (RFC 4648 §4), padding kept. Uses only `btoa`, available on every runtime. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** Standard base64 without padding, as PHC strings write it. */
export function encodeBase64Unpadded(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/=+$/, '')
}

/** Strict standard base64 with padding; `undefined` for anything else. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!STANDARD.test(text)) return undefined
  return binaryToBytes(atob(text))
}

/** Standard base64 without padding; `undefined` for anything else. */
export function decodeBase64Unpadded(text: string): Uint8Array | undefined {
  if (!UNPADDED.test(text) || text.length % 4 === 1) return undefined
  return binaryToBytes(atob(text + '='.repeat((4 - (text.length % 4)) % 4)))
}

function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
