import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { copyApp, run, type Server, startServer } from './support/consumer.js'
import { SECRET, signToken } from './support/token.js'

const appDir = inject('appDir')
const { node20 } = inject('binaries')
const core = inject('packed').find((pkg) => pkg.name === '@covet/core')!
const scratch = mkdtempSync(join(tmpdir(), 'covet-two-copies-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The next patch version of `version`: the copy npm would nest when an exact pin disagrees. */
const nextPatch = (version: string) => version.replace(/\d+$/, (patch) => String(Number(patch) + 1))

/**
 * Pack @covet/core again at another version, optionally editing its build first, and lay it under
 * @covet/rbac and @covet/adapters of a copy of the consumer app, beside the app's own copy.
 */
function twoCopiesApp(name: string, edit: (coreDir: string) => void = () => {}): string {
  const source = join(scratch, `${name}-core`)
  mkdirSync(source)
  run('tar', ['xzf', core.tarball, '-C', source, '--strip-components=1'], scratch)
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'))
  manifest.version = nextPatch(core.version)
  writeFileSync(join(source, 'package.json'), JSON.stringify(manifest, null, 2))
  edit(source)
  const tarball = join(
    scratch,
    run('npm', ['pack', '--silent', '--pack-destination', scratch], source).trim(),
  )

  const app = join(scratch, name)
  copyApp(appDir, app)
  for (const dependant of ['rbac', 'adapters']) {
    const nested = join(app, 'node_modules/@covet', dependant, 'node_modules/@covet/core')
    mkdirSync(nested, { recursive: true })
    run('tar', ['xzf', tarball, '-C', nested, '--strip-components=1'], app)
  }
  return app
}

describe('two copies of @covet/core of one request-state protocol', () => {
  let app: string
  let server: Server
  beforeAll(async () => {
    app = twoCopiesApp('compatible')
    server = await startServer([node20, 'node-server.mjs'], app, { COVET_SECRET: SECRET })
  })
  afterAll(() => server?.stop())

  it('are really two: the app loads one, @covet/rbac and @covet/adapters the other', () => {
    const copies = JSON.parse(run(node20, ['copies.mjs'], app))
    expect(copies.app.version).toBe(core.version)
    expect(copies.rbac.version).toBe(nextPatch(core.version))
    expect(copies.adapters.version).toBe(nextPatch(core.version))
    expect(copies.rbac.main).not.toBe(copies.app.main)
  })

  it('share the request state: the guard from the other copy sees the identity withJwtAuth verified', async () => {
    const res = await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${signToken(app)}` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ subject: 'alice' })
  })

  it('still answer 401 without a token', async () => {
    const res = await fetch(`${server.url}/me`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="consumer", DPoP realm="consumer", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"',
    )
  })
})

describe('two copies of @covet/core that keep request state differently', () => {
  it('make withJwtAuth throw ERR_INCOMPATIBLE_CORE when the app wraps its handler', () => {
    const app = twoCopiesApp('incompatible', (coreDir) => {
      // A future copy whose request state has another shape announces another protocol number.
      const file = join(coreDir, 'dist/http/context.js')
      const code = readFileSync(file, 'utf8')
      const protocol = /^const PROTOCOL = 1;$/m
      expect(code).toMatch(protocol)
      writeFileSync(file, code.replace(protocol, 'const PROTOCOL = 2;'))
    })
    expect(JSON.parse(run(node20, ['wrap.mjs'], app, { COVET_SECRET: SECRET }))).toEqual({
      code: 'ERR_INCOMPATIBLE_CORE',
      message:
        'Two copies of @covet/core that keep request state differently are loaded (protocols 1 and 2), ' +
        'so one would not see the identity the other verified. Install a single @covet/core: ' +
        '`npm ls @covet/core` shows where the copies come from.',
    })
  })
})
