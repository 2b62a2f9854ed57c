import { spawnSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { perfMap, readJitdump } from './jitdump.mjs'

/** A jitdump as the specification lays it out: a 40-byte header, then `records`. */
function jitdump(pid, records) {
  const header = Buffer.alloc(40)
  header.writeUInt32LE(0x4a695444, 0)
  header.writeUInt32LE(1, 4)
  header.writeUInt32LE(40, 8)
  header.writeUInt32LE(pid, 20)
  return Buffer.concat([header, ...records])
}

/** A JIT_CODE_LOAD record (id 0) of `name` at `address`, `size` bytes of code. */
function codeLoad(address, size, name) {
  const code = Buffer.alloc(size, 0x90)
  const fields = Buffer.alloc(16 + 40)
  const nameBytes = Buffer.from(`${name}\0`)
  fields.writeUInt32LE(0, 0)
  fields.writeUInt32LE(fields.length + nameBytes.length + code.length, 4)
  fields.writeBigUInt64LE(address, 16 + 16)
  fields.writeBigUInt64LE(BigInt(size), 16 + 24)
  return Buffer.concat([fields, nameBytes, code])
}

/** A record perf's readers skip: JIT_CODE_CLOSE (id 3), a prefix alone. */
function otherRecord() {
  const record = Buffer.alloc(16)
  record.writeUInt32LE(3, 0)
  record.writeUInt32LE(16, 4)
  return record
}

describe('reading a jitdump as a perf map', () => {
  it('lists each code load with its address, size and name, skipping other records', () => {
    const dump = jitdump(4242, [
      codeLoad(0x7f00_0000_1000n, 32, 'JSC-FTL: protect#AbCdEf'),
      otherRecord(),
      codeLoad(0x7f00_0000_2000n, 8, 'JSC-DFG: get#XyZ'),
    ])
    const { pid, loads } = readJitdump(dump)
    expect(pid).toBe(4242)
    expect(perfMap(loads)).toBe('7f0000001000 20 JSC-FTL: protect#AbCdEf\n7f0000002000 8 JSC-DFG: get#XyZ\n')
  })

  it('ends the list at a record the writer has not finished', () => {
    const whole = codeLoad(0x1000n, 4, 'first')
    const cut = codeLoad(0x2000n, 64, 'second').subarray(0, 40)
    expect(readJitdump(jitdump(1, [whole, cut])).loads.map((load) => load.name)).toEqual(['first'])
  })

  it('refuses a file that is not a jitdump', () => {
    expect(() => readJitdump(Buffer.from('JiTD but not really, and long enough to pass'))).toThrow(
      'not a jitdump file',
    )
  })

  it('names the functions Bun compiled, from the dump Bun itself writes', async () => {
    const bun = join(dirname(createRequire(import.meta.url).resolve('bun/package.json')), 'bin/bun.exe')
    const dir = await mkdtemp(join(tmpdir(), 'covet-jitdump-'))
    try {
      const script = join(dir, 'hot.mjs')
      await writeFile(
        script,
        // Turns of the event loop between the calls let the compiler threads finish before Bun exits.
        [
          'function coveted(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s }',
          'let t = 0',
          'for (let turn = 0; turn < 10; turn++) {',
          '  for (let i = 0; i < 5000; i++) t += coveted(200)',
          '  await new Promise((resolve) => setTimeout(resolve, 20))',
          '}',
          'console.log(t > 0)',
        ].join('\n'),
      )
      const run = spawnSync(bun, ['run', script], {
        env: { ...process.env, BUN_JSC_useJITDump: '1', BUN_JSC_jitDumpDirectory: dir },
        encoding: 'utf8',
      })
      expect(run.stdout.trim()).toBe('true')
      const [file] = (await readdir(dir)).filter((name) => name.endsWith('.dump'))
      const { pid, loads } = readJitdump(await readFile(join(dir, file)))
      expect(pid).toBe(run.pid)
      expect(loads.some((load) => /\bcoveted#/.test(load.name) && load.size > 0n)).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
