import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Block, documentationFiles, extractBlocks, where } from './support/blocks.js'
import { freePort, type Started, start } from './support/servers.js'
import { installedPackages, runShell } from './support/shell.js'
import { type DocError, typecheck } from './support/typecheck.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const run = async (command: string, args: string[]) => (await promisify(execFile)(command, args)).stdout
const blocks = documentationFiles(root).flatMap((file) => extractBlocks(root, file))

// Languages and the one flag each may carry. `fragment`: a TypeScript block that is deliberately
// not a module (none so far). `no-run`: a shell block that must not run here (it installs from the
// registry, publishes, or starts a server that runs until interrupted).
const TYPESCRIPT = new Set(['ts', 'typescript', 'js', 'javascript'])
const SHELL = new Set(['sh', 'bash', 'shell'])
const PROSE = new Set(['', 'text', 'python', 'mermaid'])

const isTypeScript = (block: Block) => TYPESCRIPT.has(block.lang) && !block.flags.includes('fragment')
const isShell = (block: Block) => SHELL.has(block.lang)

describe('the documentation', () => {
  it('has fenced blocks in README.md, every package README and docs/', () => {
    const files = new Set(blocks.map((block) => block.file))
    expect(files).toContain('README.md')
    expect(files).toContain(join('packages', 'core', 'README.md'))
    expect(files).toContain(join('docs', 'cli.md'))
    expect(blocks.filter(isTypeScript).length).toBeGreaterThan(20)
  })

  it('labels every block with a known language and only the flags that language allows', () => {
    const wrong = blocks
      .filter((block) => {
        if (TYPESCRIPT.has(block.lang)) return block.flags.some((flag) => flag !== 'fragment')
        if (SHELL.has(block.lang)) return block.flags.some((flag) => flag !== 'no-run')
        return !PROSE.has(block.lang) || block.flags.length > 0
      })
      .map((block) => `${where(block)} \`\`\`${[block.lang, ...block.flags].join(' ')}`)
    expect(wrong).toEqual([])
  })
})

describe('TypeScript blocks type-check against the built packages', () => {
  let errors: Map<string, DocError[]>
  beforeAll(async () => {
    errors = await typecheck(blocks.filter(isTypeScript), join(here, '.blocks'))
  }, 120_000)

  it('tsc itself ran', () => {
    expect(errors.get('tsc') ?? []).toEqual([])
  })

  for (const block of blocks.filter(isTypeScript)) {
    it(`${where(block)}`, () => {
      expect(errors.get(where(block)) ?? []).toEqual([])
    })
  }
})

describe('install lines name published packages, and only the peers they document', () => {
  const manifests = new Map<string, Record<string, unknown>>()
  beforeAll(async () => {
    for (const name of await readdir(join(root, 'packages'))) {
      const manifest = JSON.parse(await readFile(join(root, 'packages', name, 'package.json'), 'utf8'))
      if (manifest.private !== true) manifests.set(manifest.name, manifest)
    }
  })

  for (const block of blocks.filter((block) => isShell(block) && installedPackages(block.code))) {
    it(`${where(block)}`, () => {
      const named = installedPackages(block.code)!
      const covet = named.filter((name) => name.startsWith('@covet/'))
      expect(covet.filter((name) => !manifests.has(name))).toEqual([])
      const offered = new Set(
        covet.flatMap((name) => {
          const manifest = manifests.get(name) as Record<string, Record<string, string> | undefined>
          return [
            ...Object.keys(manifest['dependencies'] ?? {}),
            ...Object.keys(manifest['peerDependencies'] ?? {}),
          ]
        }),
      )
      expect(named.filter((name) => !name.startsWith('@covet/') && !offered.has(name))).toEqual([])
    })
  }
})

describe('shell blocks run', () => {
  const runnable = blocks.filter(
    (block) => isShell(block) && !block.flags.includes('no-run') && !installedPackages(block.code),
  )
  let work: string
  let demo: Started
  let port: number
  let metricsPort: number
  let env: Record<string, string>

  // A `covet` command on PATH, the built CLI run by this Node; a demo where the blocks expect it
  // (127.0.0.1:3000, its metrics on 9464), moved to free ports.
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'covet-docs-'))
    const bin = join(work, 'bin')
    await mkdir(bin)
    const cli = join(
      dirname(createRequire(import.meta.url).resolve('@covet/cli/package.json')),
      'dist',
      'bin.js',
    )
    await writeFile(join(bin, 'covet'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`)
    await chmod(join(bin, 'covet'), 0o755)
    env = { PATH: `${bin}:${process.env['PATH']}`, HOME: work, LANG: 'C.UTF-8' }
    port = await freePort()
    metricsPort = await freePort()
    demo = await start(process.execPath, [cli, 'demo', '--port', String(port)], {
      cwd: root,
      env: { ...env, HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) },
      ready: `http://127.0.0.1:${port}/health`,
      timeoutMs: 60_000,
    })
  }, 90_000)
  afterAll(async () => {
    await demo?.stop()
    await rm(work, { recursive: true, force: true })
  })

  // Blocks of one file run in order in one folder, so a key one block writes is there for the next.
  for (const block of runnable) {
    it(`${where(block)}`, async () => {
      const cwd = join(work, block.file.replace(/[^A-Za-z0-9]+/g, '-'))
      await mkdir(cwd, { recursive: true })
      const code = block.code
        .replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`)
        .replaceAll('127.0.0.1:9464', `127.0.0.1:${metricsPort}`)
      const run = await runShell(code, { cwd, env, timeoutMs: 60_000 })
      expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 })
    })
  }
})

describe("README's first example", () => {
  let server: Started | undefined
  afterAll(async () => {
    await server?.stop()
  })

  // It says Node 22.18+ and 24 run server.ts as it is: this Node when it strips types, else Node 24.
  it('runs as server.ts on a Node that strips types, and its printed curl line gets the subject', async () => {
    const block = blocks.find((candidate) => candidate.file === 'README.md' && isTypeScript(candidate))!
    expect(block.code.split('\n')[0]).toBe('// server.ts')
    const dir = join(here, '.run')
    await rm(dir, { recursive: true, force: true })
    await mkdir(dir)
    const port = await freePort()
    await writeFile(join(dir, 'server.ts'), block.code.replaceAll('3000', String(port)))
    const node = (process.features as { typescript?: unknown }).typescript
      ? process.execPath
      : (await run('npx', ['-y', 'node@24', '-p', 'process.execPath'])).trim()
    server = await start(node, ['server.ts'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', COVET_SECRET: 'a development secret of 32 bytes or more' },
      ready: `http://127.0.0.1:${port}/health`,
      timeoutMs: 30_000,
    })
    let line: RegExpExecArray | null = null
    for (let i = 0; i < 100 && line === null; i++) {
      line = /curl -H "Authorization: Bearer ([^"]+)" (http:\/\/localhost:\d+\/)/.exec(server.output())
      if (line === null) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(line, server.output()).not.toBeNull()
    const [, token, url] = line!
    const answer = await fetch(url!, { headers: { authorization: `Bearer ${token}` } })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({ sub: 'alice' })
    const refused = await fetch(url!)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer realm="api"/)
  })
})
