import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The repository root, where `src/main.ts` lives. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** What a finished CLI run printed, and its exit code. */
export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Starts the real CLI (`node --import tsx src/main.ts …`) as a child process (`detached`: in a process group of its own). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, options: { detached?: boolean } = {}): ChildProcess {
  const clean = { ...process.env }
  delete clean.SEPIA_CONFIG
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: ROOT, env: { ...clean, ...env }, detached: options.detached ?? false })
}

/** Runs the real CLI to completion and collects its output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return finished(spawnCli(args, env))
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d) => (stdout += d))
  child.stderr?.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })))
}

/** True when the text looks like it contains a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /\n\s+at .+:\d+:\d+/.test(text)
}
