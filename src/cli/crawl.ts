import type { Command } from 'commander'

/** `sepia crawl` (stub until the crawler lands). */
export function crawlCommand(program: Command): void {
  program.command('crawl').description('crawl instances now').action(() => {})
}
