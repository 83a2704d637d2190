// `sepia reindex`: rebuilds every full-text index and the vocabulary from the tables. What an index holds is
// defined once, by its view `<fts>_rows` (migrations/0006): the triggers copy one row of it, the rebuild copies all
// of it. Nothing is parsed: the indexes are the FTS5 tables that have such a view, and their columns are read from
// the schema.
import type { Db } from '../db/open.ts'

/**
 * The version of what the indexes hold, as computed by TypeScript (the facets of facets.ts, the ranks of rank.ts,
 * the words, stems and typo keys of the vocabulary). Bump it with any change to those: existing databases are then
 * rebuilt at their next start (refreshIndexes), instead of silently holding tokens the queries no longer build.
 */
export const INDEX_VERSION = 1

/** One index refilled by the rebuild, with the row count it holds afterwards. */
export type ReindexedTable = { fts: string; from: string; rows: number }

/** The FTS5 tables fed by a `<name>_rows` view, with their columns (rowid first). */
export function indexedViews(db: Db): { fts: string; view: string; columns: string[] }[] {
  const tables = db
    .prepare(`SELECT t.name AS fts FROM sqlite_master t JOIN sqlite_master v ON v.type = 'view' AND v.name = t.name || '_rows'
      WHERE t.type = 'table' AND t.sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%' ORDER BY t.name`)
    .all() as { fts: string }[]
  if (tables.length === 0) throw new Error('no full-text indexes found: is the database migrated?')
  return tables.map(({ fts }) => ({
    fts,
    view: `${fts}_rows`,
    columns: (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(fts) as { name: string }[]).map((c) => c.name),
  }))
}

/**
 * Empties every full-text index and the vocabulary, and refills them from their views, then recounts
 * search_totals, in one transaction: searches keep reading the old index until the new one commits.
 */
export function reindex(db: Db): ReindexedTable[] {
  const indexes = indexedViews(db)
  return db.transaction(() => {
    for (const { fts, view, columns } of indexes) {
      // The indexes are contentless: 'delete-all' is how one is emptied (a plain DELETE is refused).
      db.prepare(`INSERT INTO ${fts} (${fts}) VALUES ('delete-all')`).run()
      db.prepare(`INSERT INTO ${fts} (rowid, ${columns.join(', ')}) SELECT key, ${columns.join(', ')} FROM ${view}`).run()
      db.prepare(`INSERT INTO ${fts} (${fts}) VALUES ('optimize')`).run()
    }
    // The vocabulary keeps words no longer indexed until a rebuild: this one counts exactly what is indexed now.
    db.exec('DELETE FROM search_typo_keys; DELETE FROM search_stems; DELETE FROM search_terms;')
    db.exec(`INSERT INTO search_terms (term, n)
      SELECT w.value, 1 + sum(v.id % 16 = 0) FROM search_vocabulary_rows v, json_each(sepia_words(v.text)) w GROUP BY w.value`)
    recountTotals(db)
    db.prepare('INSERT INTO search_index (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version').run(INDEX_VERSION)
    return indexes.map(({ fts }) => ({
      fts,
      // Each index is named after the table it indexes: videos_fts, videos_short_fts, channels_fts...
      from: fts.slice(0, fts.indexOf('_')),
      rows: (db.prepare(`SELECT count(*) AS n FROM ${fts}`).get() as { n: number }).n,
    }))
  }).immediate()
}

// search_totals holds one row per table name (videos, channels, playlists) with its row count.
function recountTotals(db: Db): void {
  const kinds = db.prepare('SELECT kind FROM search_totals').pluck().all() as string[]
  for (const kind of kinds) {
    if (!/^\w+$/.test(kind) || !db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(kind)) continue
    db.prepare(`UPDATE search_totals SET n = (SELECT count(*) FROM ${kind}) WHERE kind = ?`).run(kind)
  }
}

/**
 * Merges the segments of every full-text index a little: each crawl commit leaves a small segment behind, and a
 * search pays a lookup per segment for each of its words (measured at 1 M videos: 30 µs a word over 10 segments,
 * 11 µs over one). A negative 'merge' merges segments of any level, `pages` leaf pages of work per index at most,
 * so a call stays short; called between crawl pages, the indexes converge to a few segments. Returns whether
 * any work was done.
 */
export function mergeIndexes(db: Db, pages: number): boolean {
  const changes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n
  let worked = false
  for (const { fts } of indexedViews(db)) {
    const before = changes()
    db.prepare(`INSERT INTO ${fts} (${fts}, rank) VALUES ('merge', ?)`).run(-pages)
    // FTS5's own test: two or more changed rows of its data table mean work was done.
    if (changes() - before >= 2) worked = true
  }
  return worked
}

/**
 * Rebuilds the indexes when they were built by code of another INDEX_VERSION (after an upgrade); returns whether
 * it did. Called after every migration run.
 */
export function refreshIndexes(db: Db): boolean {
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_index'`).get()) return false
  const row = db.prepare('SELECT version FROM search_index WHERE id = 1').get() as { version: number } | undefined
  if (row?.version === INDEX_VERSION) return false
  reindex(db)
  return true
}
