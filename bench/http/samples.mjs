/**
 * What `bench:profile` reads from `perf report --stdio -q --no-children -F sample,dso,sym -t '|'`:
 * each line a sample count, the object the samples fell in, and the symbol.
 */

/** The parts of a server process a sample can fall in. */
export const PARTS = ['kernel', 'runtime', 'libc', 'vdso', 'JIT', 'other']

/** Which part a sample's object (perf's `dso`) is, for a runtime whose binary is `binary`. */
export function partOf(dso, binary) {
  if (dso === '[kernel.kallsyms]') return 'kernel'
  if (dso === '[vdso]') return 'vdso'
  // Compiled JavaScript: named from a perf map, or not at all ("[JIT] tid …").
  if (dso.startsWith('[JIT]') || /^perf-\d+\.map$/.test(dso)) return 'JIT'
  if (dso.startsWith('libc.so')) return 'libc'
  if (dso === binary) return 'runtime'
  return 'other'
}

/**
 * A compiled function's name without its compiler tier and hash, and with its file's name alone:
 * `JSC-FTL: protect#CaF6Pz` → `protect`; `JS:*'protect file:///a/b/with-jwt-auth.js:118:21` →
 * `protect (with-jwt-auth.js)`; V8's own builtins (`Builtin:…`) and anything else as they are.
 */
export function functionName(symbol) {
  const jsc = /^JSC-[A-Za-z]+: (.*?)(?:#[A-Za-z0-9]+)?$/.exec(symbol)
  if (jsc !== null) return jsc[1]
  // V8's `<tier>'<name> <script>:<line>:<column>`; a getter's name holds a space (`get headers`).
  const v8 = /^(?:JS|LazyCompile|Function):[*+~^]?'?(.*?)\s*(\S+):\d+:\d+$/.exec(symbol)
  if (v8 !== null) return `${v8[1] || '(anonymous)'} (${v8[2].slice(v8[2].lastIndexOf('/') + 1)})`
  return symbol
}

/** The samples of a report, in all, by part, and by compiled function. */
export function countSamples(report, binary) {
  const parts = Object.fromEntries(PARTS.map((part) => [part, 0]))
  const functions = new Map()
  let total = 0
  for (const line of report.split('\n')) {
    const [count, dso, symbol] = line.split('|').map((field) => field.trim())
    if (symbol === undefined || !/^\d+$/.test(count)) continue
    const samples = Number(count)
    const part = partOf(dso, binary)
    total += samples
    parts[part] += samples
    if (part === 'JIT') {
      const name = functionName(symbol.replace(/^\[\.\]\s*/, ''))
      functions.set(name, (functions.get(name) ?? 0) + samples)
    }
  }
  return { total, parts, functions }
}
