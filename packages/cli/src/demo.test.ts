import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { covet } from './test-support/covet.js'

const exec = promisify(execFile)
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

describe('covet demo outside a clone of the repository', () => {
  let app: string
  let bin: string
  const run = async (args: string[]) => {
    try {
      const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd: app, env: {} })
      return { code: 0, stdout, stderr }
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string }
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
    }
  }

  // The layout npm leaves in an app: the built package, and its dependencies beside it.
  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), 'covet-cli-installed-'))
    const cli = join(app, 'node_modules', '@covet', 'cli')
    await mkdir(cli, { recursive: true })
    await cp(here('../package.json'), join(cli, 'package.json'))
    await cp(here('../dist'), join(cli, 'dist'), { recursive: true })
    await symlink(
      await realpath(here('../node_modules/@covet/core')),
      join(app, 'node_modules', '@covet', 'core'),
    )
    await symlink(await realpath(here('../node_modules/jose')), join(app, 'node_modules', 'jose'))
    bin = join(cli, 'dist', 'bin.js')
  })
  afterAll(async () => {
    await rm(app, { recursive: true, force: true })
  })

  it('leaves demo out of the help', async () => {
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: covet <command>')
    expect(help.stdout).not.toMatch(/demo/)
  })

  it('exits 1 and says where the demo runs', async () => {
    expect(await run(['demo'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'covet: the demo runs from a clone of the Covet repository, and this is not one: clone https://github.com/covet-auth/covet, then run "npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 demo" in it\n',
    })
  })

  it('still signs and verifies there', async () => {
    const secret = 's'.repeat(32)
    const token = (await run(['token', 'sign', '--sub', 'alice', '--secret', secret])).stdout.trim()
    expect(await run(['token', 'verify', token, '--secret', secret])).toMatchObject({ code: 0 })
  })
})

describe('covet demo in a clone', () => {
  it('lists demo in the help', async () => {
    const { stdout } = await covet(['--help'])
    expect(stdout).toContain('  demo [--port <port>]')
  })
})
