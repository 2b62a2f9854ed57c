import { spawn } from 'node:child_process'

/** What one shell block did. */
export interface ShellRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const INSTALL = /^(npm (install|i|add)|pnpm (add|install)|yarn add|bun add|deno add)\b/

/** The packages an install block names, or `undefined` when the block does more than install. */
export function installedPackages(code: string): string[] | undefined {
  const commands = logicalLines(code)
  if (commands.length === 0 || !commands.every((line) => INSTALL.test(line))) return undefined
  return commands.flatMap((line) =>
    line
      .split(/\s+/)
      .slice(2)
      .filter((word) => !word.startsWith('-'))
      .map((word) => word.replace(/(.)@[^@/]*$/, '$1')),
  )
}

/** Commands without comments, continuation lines joined. */
function logicalLines(code: string): string[] {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '')
}

/**
 * Runs a block with `bash -euo pipefail`: any failing command (a refused connection, a `grep`
 * that finds nothing, a `covet` that exits 1) fails the block.
 */
export function runShell(
  code: string,
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', code], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code: signal ? null : code, stdout, stderr }))
  })
}
