import { execFile } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { type Block, where } from './blocks.js'

/** A TypeScript error, placed at its line in the Markdown file. */
export interface DocError {
  readonly at: string
  readonly message: string
}

const exec = promisify(execFile)

/**
 * Writes each block to its own module inside this package (so `@covet/*` resolve to the built
 * workspace packages) and runs `tsc --noEmit` once over all of them: strict, ES2023 without the
 * DOM lib, Node's types, top-level await. `doc-context.d.ts` declares what the snippets take as
 * given (an `auth`, a `handler`, …). Resolves the errors of each block, by `where(block)`.
 */
export async function typecheck(blocks: readonly Block[], dir: string): Promise<Map<string, DocError[]>> {
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  const byFile = new Map<string, Block>()
  for (const block of blocks) {
    const name = `${block.file.replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}.ts`
    byFile.set(name, block)
    // `export {}` makes every block a module, so top-level await is allowed and names stay its own.
    await writeFile(join(dir, name), `${block.code}\nexport {}\n`)
  }
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
    files: [...byFile.keys(), resolve(dir, '..', 'doc-context.d.ts')],
  }
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  let output = ''
  try {
    await exec(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string }
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`
    if (output.trim() === '') throw error
  }
  return parse(output, byFile)
}

function parse(output: string, byFile: Map<string, Block>): Map<string, DocError[]> {
  const errors = new Map<string, DocError[]>()
  let last: DocError[] | undefined
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line)
    if (match === null) {
      // An indented line continues the previous message; anything else is tsc's own failure.
      if (line.startsWith(' ') && last !== undefined) last[last.length - 1] = extend(last.at(-1)!, line)
      else if (line.trim() !== '') add(errors, 'tsc', { at: 'tsc', message: line })
      continue
    }
    const [, path, row, column, code, message] = match as unknown as string[]
    const block = byFile.get(basename(path!))
    const at = block ? `${block.file}:${block.line + Number(row)}:${column}` : `${path}:${row}:${column}`
    last = add(errors, block ? where(block) : 'tsc', { at, message: `${code} ${message}` })
  }
  return errors
}

function add(errors: Map<string, DocError[]>, key: string, error: DocError): DocError[] {
  const list = errors.get(key) ?? []
  list.push(error)
  errors.set(key, list)
  return list
}

function extend(error: DocError, line: string): DocError {
  return { at: error.at, message: `${error.message}\n${line}` }
}
