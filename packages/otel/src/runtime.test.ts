import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ATTRIBUTES as A, METRICS as M, SPANS } from './names.js'
import { sorted } from './test-support/sdk.js'

// The API is runtime-agnostic: the same instrumentation, with the real SDK, run by Bun.

const here = dirname(fileURLToPath(import.meta.url))
// The real binary, not the node_modules/.bin shim (killing a shim can leave the runtime behind).
const BUN = join(dirname(createRequire(import.meta.url).resolve('bun/package.json')), 'bin/bun.exe')

interface Probe {
  runtime: string
  metrics: Record<string, { attributes: Record<string, unknown>; value: number | { count: number } }[]>
  spans: string[]
}

function runProbe(argv: string[]): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv as [string, ...string[]]
    const child = spawn(command, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(JSON.parse(stdout) as Probe)
      else reject(new Error(`probe exited with ${code ?? signal}:\n${stderr}${stdout}`))
    })
  })
}

describe('on Bun', () => {
  it('exports the same metrics and spans through the real SDK', async () => {
    const probe = await runProbe([BUN, 'run', 'test-support/runtime-probe.ts'])
    expect(probe.runtime).toBe('bun')
    const values = (name: string) =>
      sorted(probe.metrics[name]?.map((point) => [point.attributes, point.value]) ?? [])
    expect(values(M.tokensIssued)).toEqual(
      sorted([
        [{ [A.tokenType]: 'access', [A.grantType]: 'password', [A.clientId]: 'web' }, 1],
        [{ [A.tokenType]: 'refresh', [A.grantType]: 'password', [A.clientId]: 'web' }, 1],
        [{ [A.tokenType]: 'access', [A.grantType]: 'refresh_token', [A.clientId]: 'web' }, 1],
        [{ [A.tokenType]: 'refresh', [A.grantType]: 'refresh_token', [A.clientId]: 'web' }, 1],
      ]),
    )
    expect(values(M.verifications)).toEqual(
      sorted([
        [{ [A.tokenType]: 'access', [A.outcome]: 'success', [A.cacheHit]: false }, 1],
        [{ [A.tokenType]: 'access', [A.outcome]: 'success', [A.cacheHit]: true }, 1],
        [
          {
            [A.tokenType]: 'access',
            [A.outcome]: 'failure',
            [A.cacheHit]: false,
            [A.reason]: 'malformed',
            [A.errorType]: 'ERR_TOKEN_INVALID',
          },
          1,
        ],
        // The refresh token of both refreshes; the second is then found spent (reuse).
        [{ [A.tokenType]: 'refresh', [A.outcome]: 'success', [A.cacheHit]: false }, 1],
        [{ [A.tokenType]: 'refresh', [A.outcome]: 'success', [A.cacheHit]: true }, 1],
      ]),
    )
    expect(values(M.verifyDuration)).toEqual(
      sorted([
        [{ [A.cacheHit]: false, [A.outcome]: 'success' }, { count: 2 }],
        [{ [A.cacheHit]: true, [A.outcome]: 'success' }, { count: 2 }],
        [{ [A.cacheHit]: false, [A.outcome]: 'failure' }, { count: 1 }],
      ]),
    )
    expect(values(M.refreshRotations)).toEqual([[{ [A.clientId]: 'web' }, 1]])
    expect(values(M.refreshReuse)).toEqual([[{ [A.clientId]: 'web' }, 1]])
    expect(values(M.cacheSize)).toEqual([[{}, 2]])
    expect(values(M.cacheHitRatio)).toEqual([[{}, 0.4]])
    expect(probe.spans).toEqual(Array(5).fill(SPANS.verify))
  })
})
