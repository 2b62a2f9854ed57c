import { describe, expect, it } from 'vitest'
import { countSamples, functionName, partOf } from './samples.mjs'

describe("reading perf's samples of a server", () => {
  it('names a compiled function without its tier, hash or directory', () => {
    expect(functionName('JSC-FTL: protect#CaF6Pz')).toBe('protect')
    expect(functionName('JSC-Baseline: verifyNow')).toBe('verifyNow')
    expect(functionName("JS:*'protect file:///srv/app/packages/core/dist/http/with-jwt-auth.js:118:21")).toBe(
      'protect (with-jwt-auth.js)',
    )
    expect(functionName('JS:+get ext:deno_fetch/20_headers.js:1:5412')).toBe('get (20_headers.js)')
    expect(functionName("JS:*'get headers ext:deno_fetch/23_request.js:1:7700")).toBe(
      'get headers (23_request.js)',
    )
    expect(functionName('JS:~ file:///srv/app/server.mjs:3:7')).toBe('(anonymous) (server.mjs)')
    expect(functionName('Builtin:MapPrototypeGet')).toBe('Builtin:MapPrototypeGet')
  })

  it('puts each object in its part of the process', () => {
    expect(partOf('[kernel.kallsyms]', 'bun.exe')).toBe('kernel')
    expect(partOf('[vdso]', 'bun.exe')).toBe('vdso')
    expect(partOf('[JIT] tid 8729', 'bun.exe')).toBe('JIT')
    expect(partOf('perf-8729.map', 'node')).toBe('JIT')
    expect(partOf('libc.so.6', 'deno')).toBe('libc')
    expect(partOf('bun.exe', 'bun.exe')).toBe('runtime')
    expect(partOf('libstdc++.so.6', 'node')).toBe('other')
  })

  it('adds up a report by part and by compiled function', () => {
    const report = [
      '# a comment line perf prints',
      ' 1700       |[kernel.kallsyms]   |[k] _raw_spin_unlock_irqrestore',
      ' 600        |bun.exe             |[.] 0x000000000183cff1',
      ' 300        |[JIT] tid 8729      |[.] JSC-FTL: protect#CaF6Pz',
      ' 20         |[JIT] tid 8729      |[.] JSC-DFG: protect#CaF6Pz',
      ' 80         |[vdso]              |[.] __vdso_clock_gettime',
      '',
    ].join('\n')
    const { total, parts, functions } = countSamples(report, 'bun.exe')
    expect(total).toBe(2700)
    expect(parts).toEqual({ kernel: 1700, runtime: 600, libc: 0, vdso: 80, JIT: 320, other: 0 })
    expect([...functions]).toEqual([['protect', 320]])
  })
})
