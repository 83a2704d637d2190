import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { assetFile } from '../assets.ts'
import { registerSearchFunctions } from '../search/sql-functions.ts'

/** A better-sqlite3 connection; the alias keeps imports short across src/db and src/search. */
export type Db = Database.Database

/** Where better-sqlite3 builds its addon in the checkout; the executable embeds it under the same name. */
export const SQLITE_ADDON = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'

let addon: object | null = null

// Loaded by hand rather than by better-sqlite3's own lookup, which searches node_modules: the executable has
// none, so the checkout and the executable both load the file the assets module names.
function sqliteAddon(): object {
  if (!addon) {
    const module = { exports: {} }
    process.dlopen(module, assetFile(SQLITE_ADDON))
    addon = module.exports
  }
  return addon
}

/** Opens (creating if needed) the SQLite file with the pragmas every connection of Sepia relies on. */
export function openDb(path: string, options: { readonly?: boolean; bulkWrites?: boolean } = {}): Db {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true })
  // The typings only know a path here, but better-sqlite3 also takes the loaded addon itself.
  const nativeBinding = sqliteAddon() as unknown as string
  const db = new Database(path, { readonly: options.readonly ?? false, timeout: 5000, nativeBinding })
  // WAL lets searches read while a crawl writes: readers never wait for the writer.
  if (!options.readonly) db.pragma('journal_mode = WAL')
  // NORMAL is durable across process crashes in WAL mode; only a power loss can lose the last commits.
  db.pragma('synchronous = NORMAL')
  // Instance deletion relies on ON DELETE CASCADE to take its videos, channels and playlists along.
  db.pragma('foreign_keys = ON')
  // A second process (a CLI command next to `serve`) waits for the write lock instead of failing.
  db.pragma('busy_timeout = 5000')
  // Reads: the file is memory-mapped up to the most this SQLite build allows (2 GB), so every process (the HTTP
  // workers, the crawler, the CLI) reads the one copy in the OS's cache, without a system call and a copy per page;
  // each connection keeps SQLite's default 16 MB page cache for what lies past the map and the WAL: 64 MB measured
  // no faster for searches at 1 M or 2 M videos and cost 50 MB more per process, so private memory stays small as
  // HTTP workers are added. The crawler (`bulkWrites`) too: a larger cache made its details 10 % faster, but since
  // its pages commit in groups its peak memory passed 300 MB with 64 MB (300–315 MB) and with 32 MB (303 MB).
  // Measured with npm run bench:connection and bench:crawl (BENCHMARKS.md).
  db.pragma('mmap_size = 2147418112')
  db.pragma('cache_size = -16000')
  // The crawler copies its WAL into the database every 10,000 pages (40 MB) rather than SQLite's 1,000: the pages
  // its commits rewrite again and again (the index B-trees, FTS5's segments) are then copied once, not at every
  // copy (bench:crawl's listing ingest: 3,500 videos/s with 1,000, 3,900–4,300 with 10,000).
  if (options.bulkWrites) db.pragma('wal_autocheckpoint = 10000')
  // A statement that writes hundreds of rows (the crawler's multi-row upserts) keeps a journal to undo itself if a
  // row fails, and SQLite spills it to a temporary file past 64 KiB: in memory instead (a few MB at most), listing
  // ingest went from 3,800–4,300 to 4,400–5,000 videos/s (bench:crawl's ingest, three runs each).
  if (options.bulkWrites) db.pragma('temp_store = MEMORY')
  // The search schema's triggers, views and generated columns call these on every read and write.
  registerSearchFunctions(db)
  return db
}
