// Everything a command prints goes through here, made safe for a terminal (see src/terminal.ts): the admin's own
// words and Sepia's are unchanged, an instance's control characters are shown instead of obeyed.
import { terminalSafe } from '../terminal.ts'

/** Prints text (one or more lines) to stdout. */
export function print(text: string): void {
  process.stdout.write(terminalSafe(text, { newlines: true }) + '\n')
}

/** Prints text to stderr. */
export function printError(text: string): void {
  process.stderr.write(terminalSafe(text, { newlines: true }) + '\n')
}

/** Prints a value as indented JSON (--json), to stdout. */
export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2))
}
