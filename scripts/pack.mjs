// Packs every published package (packages/*, not private) with pnpm, as `pnpm publish` would:
// `workspace:` ranges become real ones and the root LICENSE is copied in.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * How to run the pnpm that runs us (`npm_execpath`, e.g. the one `npx -y pnpm@…` fetched), else
 * the `pnpm` on PATH.
 * @returns {[string, ...string[]]}
 */
export function pnpmCommand() {
  const execPath = process.env.npm_execpath
  if (execPath === undefined || !/pnpm/i.test(basename(execPath))) return ['pnpm']
  return /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath]
}

/**
 * The packages a release publishes, in dependency order (core first).
 * @returns {{ name: string, version: string, dir: string }[]}
 */
export function publishedPackages() {
  const packagesDir = join(ROOT, 'packages')
  const found = readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(packagesDir, entry.name))
    .flatMap((dir) => {
      let manifest
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      } catch {
        return []
      }
      return manifest.private === true ? [] : [{ name: manifest.name, version: manifest.version, dir }]
    })
  return found.sort((a, b) => (a.name === '@covet/core' ? -1 : b.name === '@covet/core' ? 1 : 0))
}

/** The file name `pnpm pack` gives a package's tarball. */
export function tarballName(name, version) {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`
}

/**
 * Pack every published package into `destination`; their `dist/` must be built.
 * @param {string} destination
 * @returns {{ name: string, version: string, dir: string, tarball: string }[]}
 */
export function packAll(destination) {
  mkdirSync(destination, { recursive: true })
  const [pnpm, ...prefix] = pnpmCommand()
  return publishedPackages().map((pkg) => {
    execFileSync(pnpm, [...prefix, 'pack', '--pack-destination', destination], {
      cwd: pkg.dir,
      stdio: 'pipe',
    })
    return { ...pkg, tarball: join(destination, tarballName(pkg.name, pkg.version)) }
  })
}
