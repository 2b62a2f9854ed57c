import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { processCpuMs } from './cpu-time.mjs'

describe.runIf(existsSync('/proc/self/stat'))("a process's CPU time", () => {
  it('grows by about what the process spent on the CPU', () => {
    const before = processCpuMs(process.pid)
    const start = performance.now()
    let spin = 0
    while (performance.now() - start < 200) spin++
    const spent = processCpuMs(process.pid) - before
    expect(spin).toBeGreaterThan(0)
    // A busy 200 ms on the CPU, counted in clock ticks (10 ms each, usually); other threads add to it.
    expect(spent).toBeGreaterThanOrEqual(150)
  })

  it('is undefined for a process that does not exist', () => {
    expect(processCpuMs(2 ** 30)).toBeUndefined()
  })
})
