import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { copyApp, run, startServer } from './support/consumer.js'
import { SECRET, signToken } from './support/token.js'

const appDir = inject('appDir')
const { node20, bun } = inject('binaries')
const scratch = mkdtempSync(join(tmpdir(), 'covet-optional-peers-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('an app that installed @covet/adapters without the Node server stack', () => {
  const app = join(scratch, 'app')
  copyApp(appDir, app)
  rmSync(join(app, 'node_modules/srvx'), { recursive: true })

  it('serves on Bun, which never loads srvx', async () => {
    const server = await startServer([bun, 'run', 'bun-server.mjs'], app, { COVET_SECRET: SECRET })
    try {
      const res = await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${signToken(app)}` } })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ subject: 'alice' })
    } finally {
      await server.stop()
    }
  })

  it('gets ERR_CONFIG naming the missing peer and the install command from @covet/adapters/node', () => {
    const { code, message } = JSON.parse(run(node20, ['load-node-adapter.mjs'], app))
    expect(code).toBe('ERR_CONFIG')
    expect(message).toBe(
      '@covet/adapters/node: needs the optional peer dependency srvx, which is not installed: npm install srvx@^1.0.8',
    )
  })
})

it('the Node adapter loads once its optional peers are installed', () => {
  expect(JSON.parse(run(node20, ['load-node-adapter.mjs'], appDir))).toEqual({
    exports: expect.arrayContaining(['serve', 'toNodeHandler']),
  })
})
