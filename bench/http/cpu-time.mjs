/**
 * A process's CPU time as Linux counts it in /proc (all its threads, user and system), in
 * milliseconds; `undefined` where /proc is not there to read.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()
const msPerTick = 1000 / ticksPerSecond

/** A process's CPU time so far (utime + stime of /proc/<pid>/stat), or `undefined`. */
export function processCpuMs(pid) {
  let stat
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name, in parentheses, may hold spaces: the fields that follow it start with `state`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * msPerTick
}
