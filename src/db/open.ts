import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/** A better-sqlite3 connection; the alias keeps imports short across src/db and src/search. */
export type Db = Database.Database

/** Opens (creating if needed) the SQLite file with the pragmas every connection of Sepia relies on. */
export function openDb(path: string, options: { readonly?: boolean } = {}): Db {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path, { readonly: options.readonly ?? false, timeout: 5000 })
  // WAL lets searches read while a crawl writes: readers never wait for the writer.
  if (!options.readonly) db.pragma('journal_mode = WAL')
  // NORMAL is durable across process crashes in WAL mode; only a power loss can lose the last commits.
  db.pragma('synchronous = NORMAL')
  // Instance deletion relies on ON DELETE CASCADE to take its videos, channels and playlists along.
  db.pragma('foreign_keys = ON')
  // A second process (a CLI command next to `serve`) waits for the write lock instead of failing.
  db.pragma('busy_timeout = 5000')
  return db
}
