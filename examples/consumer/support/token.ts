import { join } from 'node:path'
import { run } from './consumer.js'

/** The HMAC secret the consumer app verifies with (COVET_SECRET); 32 bytes or more for HS256. */
export const SECRET = 'consumer-test-secret-0123456789abcdef'

/** A reader's access token, signed by the installed `covet` command, as a stranger would. */
export function signToken(appDir: string, roles = 'reader'): string {
  const covet = join(appDir, 'node_modules/.bin/covet')
  const args = ['token', 'sign', '--sub', 'alice', '--roles', roles, '--ttl', '10m']
  args.push('--issuer', 'https://consumer.example', '--audience', 'consumer')
  return run(covet, args, appDir, { COVET_SECRET: SECRET }).trim()
}
