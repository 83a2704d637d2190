import type { Command } from 'commander'
import { configFor, fail } from './context.ts'
import { openDb } from '../db/open.ts'
import { migrate, readMigrations, schemaVersion, SchemaTooNewError } from '../db/migrate.ts'
import { print } from './output.ts'

/** `sepia migrate`: applies pending migrations and says what it did. */
export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (serve and crawl also do this at start)')
    .action((_opts, cmd: Command) => {
      const config = configFor(cmd)
      const db = openDb(config.database.path)
      try {
        const applied = migrate(db)
        for (const m of applied) print(`applied ${String(m.version).padStart(4, '0')}_${m.name}`)
        const latest = readMigrations().at(-1)?.version ?? 0
        print(`database ${config.database.path} is at schema version ${schemaVersion(db)} (latest ${latest})`)
      } catch (err) {
        if (err instanceof SchemaTooNewError) fail(err.message)
        throw err
      } finally {
        db.close()
      }
    })
}
