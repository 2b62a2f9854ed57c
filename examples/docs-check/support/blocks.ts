import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** One fenced code block of a Markdown file. */
export interface Block {
  /** The Markdown file, relative to the repository root. */
  readonly file: string
  /** Line of the opening fence (1-based); the code starts on the next line. */
  readonly line: number
  /** The info string's first word, lower-cased: `ts`, `sh`, `python`, or `` for none. */
  readonly lang: string
  /** The info string's other words: `fragment`, `no-run`. */
  readonly flags: readonly string[]
  readonly code: string
}

/** The documentation whose blocks are checked: README.md, every package README, docs/*.md. */
export function documentationFiles(root: string): string[] {
  const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join('packages', entry.name, 'README.md'))
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name))
  return ['README.md', ...packages, ...docs].filter((file) => {
    try {
      readFileSync(join(root, file))
      return true
    } catch {
      return false
    }
  })
}

/** Every fenced block (CommonMark: three or more backticks or tildes, closed by a longer-or-equal run). */
export function extractBlocks(root: string, file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!)
    if (open === null) continue
    const fence = open[1]!
    const [lang = '', ...flags] = open[2]!.trim().split(/\s+/).filter(Boolean)
    const body: string[] = []
    let j = i + 1
    while (j < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[j]!)) {
      body.push(lines[j]!)
      j++
    }
    blocks.push({
      file: relative(root, join(root, file)),
      line: i + 1,
      lang: lang.toLowerCase(),
      flags,
      code: body.join('\n'),
    })
    i = j
  }
  return blocks
}

/** `README.md:22` */
export function where(block: Block): string {
  return `${block.file}:${block.line}`
}
