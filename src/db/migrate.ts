import { assetNames, readAsset } from '../assets.ts'
import type { Db } from './open.ts'
import { refreshIndexes } from '../search/reindex.ts'

/** The repository folder of the migrations shipped with this code (embedded in the executable). */
export const MIGRATIONS_FOLDER = 'migrations/'

/** One numbered SQL file, `NNNN_name.sql`. */
export type Migration = { version: number; name: string; sql: string }

/** The migrations shipped with this code, in order. */
export function readMigrations(): Migration[] {
  const files = assetNames(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql'))
  return parseMigrations(files.map((file) => ({ file, sql: readAsset(MIGRATIONS_FOLDER + file).toString('utf8') })))
}

/** Orders migration files by name; a badly named file is an error, not something to skip. */
export function parseMigrations(files: { file: string; sql: string }[]): Migration[] {
  return [...files]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map(({ file, sql }) => {
      const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file)
      if (!m) throw new Error(`migration file ${file} is not named NNNN_name.sql`)
      return { version: Number(m[1]), name: m[2]!, sql }
    })
}

/** The highest migration version recorded in the database (0 for a new one). */
export function schemaVersion(db: Db): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
  return (db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get() as { v: number }).v
}

/** Thrown when the database was migrated by a newer Sepia than the one running. */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError'
}

/**
 * Applies every migration not yet recorded, each in its own transaction, then rebuilds the search indexes if this
 * code builds them differently (src/search/reindex.ts); returns the migrations applied.
 */
export function migrate(db: Db, migrations = readMigrations()): Migration[] {
  const current = schemaVersion(db)
  const latest = migrations.at(-1)?.version ?? 0
  if (current > latest) {
    throw new SchemaTooNewError(
      `the database schema is at version ${current} but this Sepia only knows up to ${latest}: upgrade Sepia, or restore a backup`,
    )
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  // By what is recorded, not by the highest version: branches merged in any order can add a migration numbered
  // below one a database already has (0005 landed after 0006), and it must not be skipped.
  const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[])
  const applied: Migration[] = []
  for (const m of migrations) {
    if (done.has(m.version)) continue
    // SQLite DDL is transactional, so a failing migration leaves the schema exactly as before it.
    db.transaction(() => {
      db.exec(m.sql)
      record.run(m.version, m.name, new Date().toISOString())
    })()
    applied.push(m)
  }
  // Index content computed by TypeScript may have changed with the code, not the schema.
  refreshIndexes(db)
  return applied
}
