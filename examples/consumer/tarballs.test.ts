import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { run } from './support/consumer.js'

const REPOSITORY = 'https://github.com/covet-auth/covet'
const packed = inject('packed')
const scratch = mkdtempSync(join(tmpdir(), 'covet-tarballs-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function manifestOf(tarball: string) {
  return JSON.parse(run('tar', ['xzfO', tarball, 'package/package.json'], scratch))
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
}

describe.each(packed.map((pkg) => [pkg.name, pkg] as const))('the %s tarball', (_name, pkg) => {
  const dir = join(scratch, basename(pkg.tarball, '.tgz'))
  mkdirSync(dir)
  run('tar', ['xzf', pkg.tarball, '-C', dir, '--strip-components=1'], scratch)
  const files = filesUnder(dir)
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))

  it('carries the licence, a README and a changelog', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']))
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toContain('The Covet authors')
  })

  it('carries a README with an install line, an example and links to the repository', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    expect(readme).toMatch(new RegExp(`(npm install|pnpm add)( --global)? [^\\n]*${pkg.name}`))
    // The install block and at least one example block, each opened and closed.
    expect(readme.match(/^```/gm)?.length).toBeGreaterThanOrEqual(4)
    expect(readme).toContain(`${REPOSITORY}#readme`)
    expect(readme).toContain(`${REPOSITORY}/issues`)
  })

  it('carries no build info, no tests and no test support', () => {
    expect(files.filter((file) => /tsbuildinfo|\.test\.|\.test-d\.|test-support/.test(file))).toEqual([])
  })

  it('carries every source file its source maps name', () => {
    const maps = files.filter((file) => file.endsWith('.map'))
    expect(maps.length).toBeGreaterThan(0)
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[] }
      return sources
        .map((source) => relative(dir, resolve(dirname(join(dir, map)), source)))
        .filter((source) => !files.includes(source))
        .map((source) => `${map} -> ${source}`)
    })
    expect(missing).toEqual([])
  })

  it('names the repository, its folder, the home page, the issue tracker and keywords', () => {
    const folder = relative(join(pkg.dir, '../..'), pkg.dir)
    expect(manifest.license).toBe('MIT')
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: folder })
    expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/${folder}#readme`)
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` })
    expect(manifest.keywords).toEqual(expect.arrayContaining(['covet', 'jwt']))
  })
})

const core = packed.find((pkg) => pkg.name === '@covet/core')!
const siblings = packed.filter((pkg) => pkg !== core)

it.each(siblings.map((pkg) => [pkg.name, pkg] as const))(
  '%s takes @covet/core as a peer dependency with a range, never as a dependency of its own',
  (_name, pkg) => {
    const manifest = manifestOf(pkg.tarball)
    expect(manifest.dependencies?.['@covet/core']).toBeUndefined()
    expect(manifest.peerDependencies?.['@covet/core']).toBe(`^${core.version}`)
  },
)

it('leaves the Node server stack to Node users: srvx is an optional peer of the adapters', () => {
  const adapters = packed.find((pkg) => pkg.name === '@covet/adapters')!
  const manifest = manifestOf(adapters.tarball)
  expect(manifest.dependencies?.srvx).toBeUndefined()
  expect(manifest.peerDependencies?.srvx).toMatch(/^\^1\./)
  expect(manifest.peerDependenciesMeta?.srvx).toEqual({ optional: true })
})

it('releases every published package at one version: one fixed changesets group holds them all', () => {
  const config = JSON.parse(readFileSync(join(core.dir, '../../.changeset/config.json'), 'utf8'))
  expect(config.fixed).toEqual([expect.arrayContaining(packed.map((pkg) => pkg.name))])
  expect(config.fixed[0]).toHaveLength(packed.length)
})
