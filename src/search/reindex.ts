// `sepia reindex`: rebuilds every full-text index from the tables. The insert triggers of migrations/0002 are the
// one definition of what a row puts in an index, so the rebuild replays them: each `INSERT INTO x_fts (…) VALUES
// (NEW.a, …)` of an `…_fts_insert` trigger becomes `INSERT INTO x_fts (…) SELECT a, … FROM <its table>`. A change
// to the triggers is thereby a change to the rebuild, and the two can never disagree.
import type { Db } from '../db/open.ts'

/** One index refilled by the rebuild, with the row count it holds afterwards. */
export type ReindexedTable = { fts: string; from: string; rows: number }

/** A statement that refills one FTS table from its source table. */
type Refill = { fts: string; from: string; sql: string }

/** The refill statements derived from the `…_fts_insert` triggers; throws if one cannot be understood. */
export function refillStatements(db: Db): Refill[] {
  const triggers = db
    .prepare(`SELECT name, tbl_name AS tbl, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_fts\\_insert' ESCAPE '\\' ORDER BY name`)
    .all() as { name: string; tbl: string; sql: string }[]
  const refills: Refill[] = []
  for (const t of triggers) {
    const body = /\bBEGIN\b([\s\S]*)\bEND\s*$/i.exec(t.sql.trim())?.[1]
    if (!body) throw new Error(`cannot read the body of trigger ${t.name}`)
    for (const statement of splitStatements(body)) {
      const m = /^INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\(([\s\S]*)\)$/i.exec(statement)
      if (!m) continue // not an index insert (a counter update, say)
      const [, fts, columns, values] = m as unknown as [string, string, string, string]
      if (!isFts5(db, fts)) continue
      refills.push({ fts, from: t.tbl, sql: `INSERT INTO ${fts} (${columns}) SELECT ${stripNew(values)} FROM ${t.tbl}` })
    }
  }
  if (refills.length === 0) throw new Error('no full-text index triggers found: is the database migrated?')
  return refills
}

/**
 * Empties every full-text index fed by a trigger and refills it from its table, then recounts search_totals, in
 * one transaction: searches keep reading the old index until the new one commits.
 */
export function reindex(db: Db): ReindexedTable[] {
  const refills = refillStatements(db)
  return db.transaction(() => {
    const emptied = new Set<string>()
    for (const r of refills) {
      // The indexes are contentless: 'delete-all' is how one is emptied (a plain DELETE is refused).
      if (!emptied.has(r.fts)) db.prepare(`INSERT INTO ${r.fts} (${r.fts}) VALUES ('delete-all')`).run()
      emptied.add(r.fts)
    }
    for (const r of refills) db.prepare(r.sql).run()
    for (const fts of emptied) db.prepare(`INSERT INTO ${fts} (${fts}) VALUES ('optimize')`).run()
    recountTotals(db)
    return [...emptied].map((fts) => ({
      fts,
      from: refills.find((r) => r.fts === fts)!.from,
      rows: (db.prepare(`SELECT count(*) AS n FROM ${fts}`).get() as { n: number }).n,
    }))
  }).immediate()
}

function isFts5(db: Db, table: string): boolean {
  const row = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string } | undefined
  return row !== undefined && /USING\s+fts5\s*\(/i.test(row.sql)
}

// search_totals holds one row per table name (videos, channels, playlists) with its row count.
function recountTotals(db: Db): void {
  const hasTotals = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_totals'`).get()
  if (!hasTotals) return
  const kinds = db.prepare('SELECT kind FROM search_totals').pluck().all() as string[]
  for (const kind of kinds) {
    if (!/^\w+$/.test(kind) || !db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(kind)) continue
    db.prepare(`UPDATE search_totals SET n = (SELECT count(*) FROM ${kind}) WHERE kind = ?`).run(kind)
  }
}

// Splits a trigger body on the semicolons that end statements (not those inside quoted text).
function splitStatements(body: string): string[] {
  const out: string[] = []
  let current = ''
  let quote: string | null = null
  for (const ch of body) {
    if (quote) {
      if (ch === quote) quote = null
    } else if (ch === "'" || ch === '"') {
      quote = ch
    } else if (ch === ';') {
      out.push(current.trim())
      current = ''
      continue
    }
    current += ch
  }
  if (current.trim()) out.push(current.trim())
  return out.filter((s) => s !== '')
}

// `NEW.name || ' ' || NEW.host` → `name || ' ' || host`, leaving quoted text alone.
function stripNew(expr: string): string {
  return expr.replace(/('[^']*')|\bNEW\./gi, (match, quoted: string | undefined) => quoted ?? '')
}
