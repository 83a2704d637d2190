// Operational messages go to stderr as plain lines. By design nothing here receives a visitor's query or address:
// Sepia keeps no query or IP logs. Messages may quote instances (their errors): control characters are escaped.
import { terminalSafe } from './terminal.ts'

/** Writes one timestamped line to stderr. */
export function log(level: 'info' | 'warn' | 'error', message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${terminalSafe(message)}\n`)
}
