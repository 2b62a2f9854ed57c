/**
 * Runs once when the Next.js server starts. On Node, `next start` would keep only the first of two
 * Authorization headers; joined instead, they get the same 400 invalid_request as on every other
 * runtime.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { keepRepeatedAuthorization } = await import('@covet/adapters/next/instrumentation')
    keepRepeatedAuthorization()
  }
}
