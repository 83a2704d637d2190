import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { configFor, fail } from './context.ts'
import { openDb } from '../db/open.ts'
import { print } from './output.ts'

/** `sepia backup FILE`: a consistent copy of the database, safe to take while `serve` or a crawl is writing. */
export function backupCommand(program: Command): void {
  program
    .command('backup <file>')
    .description('write a consistent online backup of the database to FILE (safe while serve runs)')
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, opts: { force?: boolean }, cmd: Command) => {
      const config = configFor(cmd)
      const target = resolve(file)
      if (target === config.database.path) fail('the backup file must not be the database itself')
      if (existsSync(target) && !opts.force) fail(`${target} exists; pass --force to overwrite it`)
      if (!existsSync(config.database.path)) fail(`no database at ${config.database.path}`)
      const db = openDb(config.database.path)
      try {
        // SQLite's online backup API copies page by page and restarts if a writer changes a page it copied,
        // so the result is a snapshot of one committed state, never a torn mix.
        const { totalPages } = await db.backup(target)
        print(`backed up ${config.database.path} to ${target} (${totalPages} pages)`)
      } catch (err) {
        fail(`backup failed: ${(err as Error).message}`)
      } finally {
        db.close()
      }
    })
}
