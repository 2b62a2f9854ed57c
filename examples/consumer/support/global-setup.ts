import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
// @ts-expect-error: a plain ES module, without types
import { packAll, publishedPackages, tarballName } from '../../../scripts/pack.mjs'
import { FIXTURE, type Packed, run, runtimeBinaries } from './consumer.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The consumer app, outside the workspace, with every tarball installed by npm. */
    appDir: string
    /** The tarballs it was installed from. */
    packed: Packed[]
    /** Absolute paths of the runtimes to run it on. */
    binaries: Record<'node20' | 'node24' | 'bun' | 'deno', string>
  }
}

/**
 * Once for the whole project: pack every package (or take the tarballs `pnpm release --dry-run`
 * packed, from COVET_PACKED), and install them with npm into an app in the system's temp folder.
 */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'covet-consumer-'))
  const given = process.env['COVET_PACKED']
  const packed: Packed[] =
    given === undefined
      ? packAll(join(root, 'tarballs'))
      : publishedPackages().map((pkg: Omit<Packed, 'tarball'>) => ({
          ...pkg,
          tarball: join(given, tarballName(pkg.name, pkg.version)),
        }))

  const appDir = join(root, 'app')
  cpSync(FIXTURE, appDir, { recursive: true })
  const manifestFile = join(appDir, 'package.json')
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
  for (const pkg of packed) manifest.dependencies[pkg.name] = `file:${pkg.tarball}`
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`)
  // The registry serves what the tarballs depend on (jose, valibot, …) when npm's cache lacks it.
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], appDir)

  project.provide('appDir', appDir)
  project.provide('packed', packed)
  project.provide('binaries', runtimeBinaries())
  return () => rmSync(root, { recursive: true, force: true })
}
