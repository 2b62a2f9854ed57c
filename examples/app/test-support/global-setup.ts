import { execFileSync } from 'node:child_process'
import { TSC_BUILD } from './runtimes.js'

/** Once before every runtime file: the examples run the compiled packages (`dist/`). */
export default function setup(): void {
  const [command = '', ...args] = TSC_BUILD
  execFileSync(command, args, { stdio: 'inherit' })
}
