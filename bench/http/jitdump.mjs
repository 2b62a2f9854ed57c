/**
 * JavaScriptCore (Bun) writes the names of its compiled code as a jitdump file (Linux perf's
 * format, `BUN_JSC_useJITDump=1`), where V8 (Node, Deno) writes perf's simpler map
 * (`--perf-basic-prof`). `perf inject --jit` reads a jitdump only when it saw the process map the
 * file, which a profile attached to a running server never sees; the map file is read by address
 * alone, so the dump's code loads are written out as a map.
 * @see https://github.com/torvalds/linux/blob/master/tools/perf/Documentation/jitdump-specification.txt
 */

const MAGIC = 0x4a695444
/** JIT_CODE_LOAD: a function's code placed at an address. */
const CODE_LOAD = 0
/** A record's prefix: id, total size, timestamp. */
const RECORD_PREFIX = 16
/** JIT_CODE_LOAD's fixed fields after the prefix: pid, tid, vma, code address, code size, code index. */
const CODE_LOAD_FIELDS = 40

/**
 * The code loads of a jitdump, in order: `{ pid, loads: [{ address, size, name }] }`. Throws on a
 * file that is not a little-endian jitdump; a record cut short at the end (the writer still
 * running) ends the list.
 */
export function readJitdump(buffer) {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  if (buffer.byteLength < 40 || view.getUint32(0, true) !== MAGIC) throw new Error('not a jitdump file')
  const headerSize = view.getUint32(8, true)
  const pid = view.getUint32(20, true)
  const loads = []
  for (let offset = headerSize; offset + RECORD_PREFIX <= buffer.byteLength; ) {
    const id = view.getUint32(offset, true)
    const size = view.getUint32(offset + 4, true)
    if (size < RECORD_PREFIX || offset + size > buffer.byteLength) break
    if (id === CODE_LOAD) {
      const fields = offset + RECORD_PREFIX
      const address = view.getBigUint64(fields + 16, true)
      const codeSize = view.getBigUint64(fields + 24, true)
      const nameStart = fields + CODE_LOAD_FIELDS
      const nameEnd = buffer.indexOf(0, nameStart)
      if (nameEnd === -1 || nameEnd >= offset + size) break
      loads.push({ address, size: codeSize, name: buffer.toString('utf8', nameStart, nameEnd) })
    }
    offset += size
  }
  return { pid, loads }
}

/** perf's map file (`<start> <size> <name>` in hexadecimal, a line each) of `loads`. */
export function perfMap(loads) {
  return loads
    .map(({ address, size, name }) => `${address.toString(16)} ${size.toString(16)} ${name}\n`)
    .join('')
}
