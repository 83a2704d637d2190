// Runs `sepia` as an admin would, against a test configuration file.
import assert from 'node:assert/strict'
import { runCli, hasStackTrace, type CliResult } from '../helpers/cli.ts'

/** Runs the real CLI with `--config file`; asserts that nothing printed a stack trace. */
export async function sepia(configFile: string, ...args: string[]): Promise<CliResult> {
  const r = await runCli([...args, '--config', configFile])
  assert.ok(!hasStackTrace(r.stdout + r.stderr), `no stack trace from sepia ${args.join(' ')}:\n${r.stderr}`)
  return r
}

/** Runs the CLI, expects exit code 0, and returns its stdout. */
export async function ok(configFile: string, ...args: string[]): Promise<string> {
  const r = await sepia(configFile, ...args)
  assert.equal(r.code, 0, `sepia ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`)
  return r.stdout
}

/** Runs the CLI with --json, expects exit code 0, and parses its stdout. */
export async function okJson<T = any>(configFile: string, ...args: string[]): Promise<T> {
  return JSON.parse(await ok(configFile, ...args, '--json')) as T
}
