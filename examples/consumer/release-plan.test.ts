import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { publishedPackages } from '../../scripts/pack.mjs'

// The release plan as `changeset version` computes it, from changesets' own modules (those of the
// workspace's @changesets/cli), with the repository's config and packages.
const ROOT = resolve(import.meta.dirname, '../..')
const fromCli = createRequire(createRequire(import.meta.url).resolve('@changesets/cli/package.json'))
const { getPackages } = fromCli('@manypkg/get-packages')
const { read: readConfig } = fromCli('@changesets/config')
const readChangesets = fromCli('@changesets/read').default
const assembleReleasePlan = fromCli('@changesets/assemble-release-plan').default

type Bump = 'major' | 'minor' | 'patch'
interface Release {
  name: string
  newVersion: string
}

const packages = await getPackages(ROOT)
const config = await readConfig(ROOT, packages)
const published: string[] = publishedPackages().map((pkg: { name: string }) => pkg.name)
const coreVersion: string = publishedPackages()[0].version

function plan(releases: { name: string; type: Bump }[]): Record<string, string> {
  const changeset = { id: 'probe', summary: 'probe', releases }
  const { releases: planned } = assembleReleasePlan([changeset], packages, config, undefined)
  return Object.fromEntries(
    (planned as Release[]).filter((r) => published.includes(r.name)).map((r) => [r.name, r.newVersion]),
  )
}

const next = (bump: Bump) => {
  const [major = 0, minor = 0, patch = 0] = coreVersion.split('.').map(Number)
  if (bump === 'major') return `${major + 1}.0.0`
  return bump === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`
}
const everyPackageAt = (version: string) => Object.fromEntries(published.map((name) => [name, version]))

describe('the release plan', () => {
  it('moves every published package to the next patch for a patch changeset of one of them', () => {
    expect(plan([{ name: '@covet/rbac', type: 'patch' }])).toEqual(everyPackageAt(next('patch')))
  })

  it('moves every published package to the next minor for a minor changeset of @covet/core', () => {
    // In 0.x a minor leaves the siblings' ^0.y peer range; that is a minor for them too, not 1.0.0.
    expect(plan([{ name: '@covet/core', type: 'minor' }])).toEqual(everyPackageAt(next('minor')))
  })

  it('moves every published package to the next major only for a major changeset', () => {
    expect(plan([{ name: '@covet/redis', type: 'major' }])).toEqual(everyPackageAt(next('major')))
  })

  it('keeps the pending changesets on the version line they ask for', async () => {
    const pending = await readChangesets(ROOT)
    const asked: Bump = pending.some((c: { releases: { type: Bump }[] }) =>
      c.releases.some((r) => r.type === 'major'),
    )
      ? 'major'
      : pending.some((c: { releases: { type: Bump }[] }) => c.releases.some((r) => r.type === 'minor'))
        ? 'minor'
        : 'patch'
    const { releases } = assembleReleasePlan(pending, packages, config, undefined)
    const planned = (releases as Release[]).filter((r) => published.includes(r.name))
    const expected = pending.length === 0 ? {} : everyPackageAt(next(asked))
    expect(Object.fromEntries(planned.map((r) => [r.name, r.newVersion]))).toEqual(expected)
  })
})
