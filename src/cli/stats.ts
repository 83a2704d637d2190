import type { Command } from 'commander'

/** `sepia stats` (stub until the crawler lands). */
export function statsCommand(program: Command): void {
  program.command('stats').description('print index counts').action(() => {})
}
