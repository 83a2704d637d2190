// The search engine shared by videos, channels and playlists: bounded-work retrieval over FTS5.
//
// Why it looks like this (measured on 1 M videos, see BENCHMARKS.md): FTS5 can walk a word's match list in rowid
// order and stop after N rows in well under a millisecond, but anything that looks at every match of a common word
// (bm25 ranking, an exact count, a join per match) costs 10-500 ms. So:
// * Relevance ("-match") is a sequence of tiers, best first (see rankedHits): each tier is one FTS5 expression
//   walked newest first, in blocks that are re-ranked by a transparent score (src/search/rank.ts). A page costs
//   O(start + count) rows, whatever the number of matches.
// * Other sorts walk the match list by rowid (publication date, free), or pick per query between sorting a small
//   match set, filtering a sort index against the match set, and probing the FTS index row by row along a sort
//   index when the matches are dense (see sortedIds).
// * `total` is exact up to MAX_TOTAL and reported as MAX_TOTAL beyond: counting a million matches exactly would
//   cost more than the search itself (Elasticsearch, behind the old index, also stops at 10,000 by default).
import type Database from 'better-sqlite3'
import type { Db } from '../db/open.ts'

/** Totals above this are reported as this number; pages beyond it are empty. */
export const MAX_TOTAL = 10_000

const MIN_KEY = -(2n ** 63n)
const MAX_KEY = 2n ** 63n - 1n

/** Where one kind of object lives: its table, its FTS indexes, and how FTS rowids map to row ids. */
export type Source = {
  table: string
  /** Alias of `table` in every query; post-filters and sort expressions use it. */
  alias: string
  /** FTS table with every searchable field and the facets column. */
  fts: string
  /** SQL turning `<fts>.rowid` (written as `$`) into the row's id. */
  idOfKey: string
  /** SQL giving a row's FTS rowid (uses `alias`). */
  keyOfRow: string
  /** This kind's row counter in search_totals. */
  totalKey: string
}

/** A condition on the main table (prefixed with the source's alias), with its parameters. */
export type Condition = { sql: string; params: unknown[] }

/** What restricts a search besides its words. */
export type Restrictions = {
  /** FTS5 expression every match must satisfy (facets), or null. */
  facets: string | null
  /** FTS5 expression no match may satisfy (blocked accounts and hosts), or null. */
  blocked: string | null
  /** Bounds on the FTS rowid (videos: publication date). */
  minKey: bigint | null
  maxKey: bigint | null
  /** Conditions FTS cannot express (ranges, bit masks, ids); each costs a row lookup per match. */
  post: Condition[]
}

/** One FTS5 query over one FTS table: the text part of a tier or bucket. */
export type FtsQuery = { fts: string; expr: string }

/** A relevance tier: its query, and cheaper queries that, when they match nothing, prove the tier empty too. */
export type Tier = FtsQuery & { guards: FtsQuery[] }

const statements = new WeakMap<Db, Map<string, Database.Statement>>()

/** A statement prepared once per connection and SQL text; `bigints` returns integers as BigInt (FTS keys need 64 bits). */
export function prepared(db: Db, sql: string, bigints = false): Database.Statement {
  let cache = statements.get(db)
  if (!cache) statements.set(db, (cache = new Map()))
  const key = (bigints ? 'B' : 'N') + sql
  let st = cache.get(key)
  if (!st) {
    // The SQL texts come from a finite set of shapes; the bound only guards against a bug multiplying them.
    if (cache.size > 2000) cache.clear()
    st = db.prepare(sql)
    if (bigints) st.safeIntegers(true)
    cache.set(key, st)
  }
  return st
}

/** The full MATCH expression: text, AND facets, NOT blocked. */
export function matchExpr(text: string | null, r: Restrictions): string {
  let e = text ?? r.facets ?? '{facets}: "zz"'
  if (text && r.facets) e = `(${e}) AND (${r.facets})`
  if (r.blocked) e = `(${e}) NOT (${r.blocked})`
  return e
}

function postSql(r: Restrictions): { sql: string; params: unknown[] } {
  return { sql: r.post.map((c) => ` AND (${c.sql})`).join(''), params: r.post.flatMap((c) => c.params) }
}

function join(src: Source, q: FtsQuery, r: Restrictions): string {
  return r.post.length ? ` CROSS JOIN ${src.table} ${src.alias} ON ${src.alias}.id = ${src.idOfKey.replaceAll('$', `${q.fts}.rowid`)}` : ''
}

/**
 * Counts the matches of a query up to `cap` (stopping there), with every restriction applied. Cost: O(min(matches, cap)).
 */
export function cappedCount(db: Db, src: Source, q: FtsQuery, r: Restrictions, cap: number): number {
  const post = postSql(r)
  const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM ${q.fts}${join(src, q, r)}
    WHERE ${q.fts} MATCH ? AND ${q.fts}.rowid BETWEEN ? AND ?${post.sql} LIMIT ?)`
  const row = prepared(db, sql).get(q.expr, r.minKey ?? MIN_KEY, r.maxKey ?? MAX_KEY, ...post.params, cap) as { n: number }
  return row.n
}

/** One block of matches in rowid order, past `bound` (below it when descending, above it otherwise). */
function keyBlock(db: Db, src: Source, q: FtsQuery, r: Restrictions, bound: bigint, descending: boolean, limit: number): { key: bigint; id: number }[] {
  const post = postSql(r)
  const sql = `SELECT ${q.fts}.rowid AS key, ${src.idOfKey.replaceAll('$', `${q.fts}.rowid`)} AS id FROM ${q.fts}${join(src, q, r)}
    WHERE ${q.fts} MATCH ? AND ${q.fts}.rowid BETWEEN ? AND ? AND ${q.fts}.rowid ${descending ? '<' : '>'} ?${post.sql}
    ORDER BY ${q.fts}.rowid ${descending ? 'DESC' : 'ASC'} LIMIT ?`
  const rows = prepared(db, sql, true).all(q.expr, r.minKey ?? MIN_KEY, r.maxKey ?? MAX_KEY, bound, ...post.params, limit) as { key: bigint; id: bigint }[]
  return rows.map((row) => ({ key: row.key, id: Number(row.id) }))
}

/** A scored result: the row id and its relevance score. */
export type Hit = { id: number; score: number }

/**
 * Relevance order: walks the tiers in order, each newest first, in blocks of `block` rows; each block is re-ranked
 * by `score` (best first, newer first on ties) and appended, skipping rows already seen (a row can match several
 * tiers across the two video indexes). Stops once `need` rows are collected, so the cost is O(need), and pages
 * are consistent: a block's place never depends on the page asked for.
 */
export function rankedHits(
  db: Db,
  src: Source,
  tiers: Tier[],
  r: Restrictions,
  options: { need: number; block: number; seen: Set<number>; score: (ids: number[], tier: number) => Map<number, number> },
): Hit[] {
  const out: Hit[] = []
  // Scanning an empty tier costs as much as walking its words' intersection; one shared guard per level of
  // relaxation (and per index) answers "nothing here" once for several tiers.
  const empty = new Map<string, boolean>()
  const isEmpty = (g: FtsQuery) => {
    const key = `${g.fts}\n${g.expr}`
    if (!empty.has(key)) empty.set(key, cappedCount(db, src, g, r, 1) === 0)
    return empty.get(key)!
  }
  for (const [t, tier] of tiers.entries()) {
    if (tier.guards.some(isEmpty)) continue
    let bound = MAX_KEY
    while (out.length < options.need) {
      const rows = keyBlock(db, src, tier, r, bound, true, options.block)
      if (rows.length === 0) break
      bound = rows[rows.length - 1]!.key
      const fresh = rows.filter((row) => !options.seen.has(row.id))
      const scores = options.score(fresh.map((row) => row.id), t)
      // rows are newest first, and sort() is stable: equal scores keep that order.
      const ranked = fresh.map((row) => ({ id: row.id, score: scores.get(row.id) ?? 0 })).sort((a, b) => b.score - a.score)
      for (const hit of ranked) {
        options.seen.add(hit.id)
        out.push(hit)
      }
      if (rows.length < options.block) break
    }
    if (out.length >= options.need) break
  }
  return out
}

/** How rows are ordered for a column sort. */
export type ColumnSort = {
  /** SQL expression on the alias, as written in the index definition. */
  expr: string
  /** The index whose order serves this sort. */
  index: string
  descending: boolean
}

// Per-row costs measured at 1 M videos (BENCHMARKS.md), in µs: reading a row to sort it, probing FTS for one row,
// reading one match's key out of FTS, and stepping a covering sort index.
const COST_ROW = 5
const COST_PROBE = 50
const COST_MATCH = 0.12
const COST_STEP = 0.3
// Matches sampled (newest first) to estimate what share of all rows match.
const DENSITY_SAMPLE = 4000

/**
 * Rows [offset, offset + limit) of the matches of `q` in `sort` order, by the cheapest exact plan for this query:
 * * few matches: read and sort them all;
 * * many: walk the sort index (it holds each row's key), keeping rows whose key is in the match set, which is
 *   read once from FTS;
 * * dense matches, first pages: walk the sort index probing FTS row by row, stopping at the page's last row.
 * The choice comes from an exact count when small, else from the share of matches among the newest rows.
 */
export function sortedIds(
  db: Db,
  src: Source,
  q: FtsQuery | null,
  r: Restrictions,
  sort: ColumnSort,
  offset: number,
  limit: number,
  /** Forces a plan (tests check that every plan gives the same rows). */
  plan?: 'sort' | 'filter' | 'probe',
): number[] {
  if (limit <= 0) return []
  const a = src.alias
  const post = postSql(r)
  const dir = sort.descending ? 'DESC' : 'ASC'
  const order = `ORDER BY ${sort.expr} ${dir}, ${a}.id ${dir}`
  const keyRange = r.minKey !== null || r.maxKey !== null ? ` AND ${src.keyOfRow} BETWEEN ? AND ?` : ''
  const keyParams = keyRange ? [r.minKey ?? MIN_KEY, r.maxKey ?? MAX_KEY] : []
  const ids = (sql: string, params: unknown[]) => (prepared(db, sql).raw(true).all(...params) as [number][]).map((row) => row[0])
  if (q === null) {
    // No text, facet nor block: every row qualifies, the sort index alone answers.
    return ids(`SELECT ${a}.id FROM ${src.table} ${a} INDEXED BY ${sort.index} WHERE 1${keyRange}${post.sql} ${order} LIMIT ? OFFSET ?`, [
      ...keyParams, ...post.params, limit, offset,
    ])
  }
  const range = [r.minKey ?? MIN_KEY, r.maxKey ?? MAX_KEY]
  const need = offset + limit
  const small = Math.max(200, Math.round(Math.sqrt((COST_STEP * need * rowTotal(db, src)) / COST_ROW)))
  const matches = plan ? -1 : cappedCount(db, src, q, { ...r, post: [] }, small)
  if (matches === 0) return []
  if (plan === 'sort' || (matches >= 0 && matches < small)) {
    return ids(
      `SELECT ${a}.id FROM ${q.fts} CROSS JOIN ${src.table} ${a} ON ${a}.id = ${src.idOfKey.replaceAll('$', `${q.fts}.rowid`)}
       WHERE ${q.fts} MATCH ? AND ${q.fts}.rowid BETWEEN ? AND ?${post.sql} ${order} LIMIT ? OFFSET ?`,
      [q.expr, ...range, ...post.params, limit, offset],
    )
  }
  const density = Math.max(matchDensity(db, src, q, r), 1e-6)
  const probing = (COST_PROBE * need) / density
  const filtering = COST_MATCH * density * rowTotal(db, src) + (COST_STEP * need) / density
  if (plan === 'probe' || (!plan && probing < filtering)) {
    const walk = prepared(db, `SELECT ${a}.id AS id, ${src.keyOfRow} AS key FROM ${src.table} ${a} INDEXED BY ${sort.index}
      WHERE 1${keyRange}${post.sql} ${order} LIMIT ?`, true)
    const probe = prepared(db, `SELECT 1 FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid = ?`)
    const found: number[] = []
    // Twice the expected walk, then give up for the other plan: the density was only estimated.
    const walkLimit = plan === 'probe' ? -1 : Math.ceil((2 * need) / density)
    let walked = 0
    for (const row of walk.iterate(...keyParams, ...post.params, walkLimit) as Iterable<{ id: bigint; key: bigint }>) {
      walked++
      if (probe.get(q.expr, row.key)) found.push(Number(row.id))
      if (found.length === need) break
    }
    // Done if the page is full, or if the whole index was walked (fewer matches than the page asks for).
    if (found.length === need || walked < walkLimit || walkLimit < 0) return found.slice(offset)
  }
  return ids(
    `SELECT ${a}.id FROM ${src.table} ${a} INDEXED BY ${sort.index}
     WHERE ${src.keyOfRow} IN (SELECT ${q.fts}.rowid FROM ${q.fts} WHERE ${q.fts} MATCH ? AND ${q.fts}.rowid BETWEEN ? AND ?)${post.sql}
     ${order} LIMIT ? OFFSET ?`,
    [q.expr, ...range, ...post.params, limit, offset],
  )
}

function rowTotal(db: Db, src: Source): number {
  return Math.max(1, (prepared(db, 'SELECT n FROM search_totals WHERE kind = ?').get(src.totalKey) as { n: number } | undefined)?.n ?? 1)
}

/** The share of rows (within the key range) that match `q`, measured on the newest rows (a few thousand). */
export function matchDensity(db: Db, src: Source, q: FtsQuery, r: Restrictions): number {
  const min = r.minKey ?? MIN_KEY
  const max = r.maxKey ?? MAX_KEY
  const edge = prepared(db, `SELECT rowid AS k FROM ${src.fts} WHERE ${src.fts} MATCH '{facets}: "zz"' AND rowid BETWEEN ? AND ?
    ORDER BY rowid DESC LIMIT 1 OFFSET ?`, true).get(min, max, DENSITY_SAMPLE - 1) as { k: bigint } | undefined
  const from = edge?.k ?? min
  const sampled = edge ? DENSITY_SAMPLE : cappedCount(db, src, { fts: src.fts, expr: '{facets}: "zz"' }, { ...r, facets: null, blocked: null, post: [] }, DENSITY_SAMPLE)
  const hits = cappedCount(db, src, q, { ...r, minKey: from, maxKey: max, post: [] }, DENSITY_SAMPLE)
  return sampled === 0 ? 0 : hits / sampled
}

// With row conditions, an exact count joins every match; past this many, a sample estimates the share that passes.
const EXACT_JOIN = 2000
const SAMPLE = 1000
// How far the FTS-only count goes when a sample will scale it.
const ESTIMATE_CAP = 50_000

/**
 * The number of matches, up to `cap`: exact without row conditions (FTS only) or when few; otherwise the FTS
 * count scaled by the share of a sample of matches that passes the row conditions (an estimate).
 */
export function matchCount(db: Db, src: Source, q: FtsQuery, r: Restrictions, cap: number): number {
  if (r.post.length === 0) return cappedCount(db, src, q, r, cap)
  const unfiltered = cappedCount(db, src, q, { ...r, post: [] }, ESTIMATE_CAP)
  if (unfiltered <= EXACT_JOIN) return cappedCount(db, src, q, r, cap)
  const post = postSql(r)
  const sample = prepared(
    db,
    `SELECT count(*) AS n FROM (SELECT rowid AS k FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?) f
     CROSS JOIN ${src.table} ${src.alias} ON ${src.alias}.id = ${src.idOfKey.replaceAll('$', 'f.k')} WHERE 1${post.sql}`,
  ).get(q.expr, r.minKey ?? MIN_KEY, r.maxKey ?? MAX_KEY, SAMPLE, ...post.params) as { n: number }
  return Math.min(cap, Math.round((unfiltered * sample.n) / SAMPLE))
}

/** Rows [offset, offset + limit) of the matches of `q` in rowid order (videos: by publication date). */
export function keyOrderedIds(db: Db, src: Source, q: FtsQuery, r: Restrictions, descending: boolean, offset: number, limit: number): number[] {
  if (limit <= 0) return []
  const post = postSql(r)
  const sql = `SELECT ${src.idOfKey.replaceAll('$', `${q.fts}.rowid`)} AS id FROM ${q.fts}${join(src, q, r)}
    WHERE ${q.fts} MATCH ? AND ${q.fts}.rowid BETWEEN ? AND ?${post.sql}
    ORDER BY ${q.fts}.rowid ${descending ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`
  const rows = prepared(db, sql, true).raw(true).all(q.expr, r.minKey ?? MIN_KEY, r.maxKey ?? MAX_KEY, ...post.params, limit, offset) as [bigint][]
  return rows.map((row) => Number(row[0]))
}

/**
 * The completions of a prefix among indexed words (from a `fts5vocab(..., col)` table, facets left out), most
 * frequent first: the `limit` most frequent of the first `scan` (word, column) entries that start with it. Index
 * order puts shorter completions first, so "peertub" finds "peertube" before "peertubeinstances".
 */
export function completions(db: Db, vocab: string, prefix: string, scan = 128, limit = 8): string[] {
  const rows = prepared(
    db,
    `SELECT term, sum(doc) AS doc FROM (SELECT term, col, doc FROM ${vocab} WHERE term >= ? AND term < ? LIMIT ?)
     WHERE col <> 'facets' GROUP BY term`,
  ).all(prefix, prefix + '\u{10FFFF}', scan) as { term: string; doc: number }[]
  return rows
    .filter((row) => row.term.startsWith(prefix))
    .sort((a, b) => b.doc - a.doc || a.term.length - b.term.length)
    .slice(0, limit)
    .map((row) => row.term)
}

/** Whether one row (by id and FTS key) passes every restriction: used for a search that names an object directly. */
export function passes(db: Db, src: Source, id: number, key: bigint, r: Restrictions): boolean {
  if ((r.minKey !== null && key < r.minKey) || (r.maxKey !== null && key > r.maxKey)) return false
  if (r.facets || r.blocked) {
    const hit = prepared(db, `SELECT 1 FROM ${src.fts} WHERE ${src.fts} MATCH ? AND rowid = ?`).get(matchExpr(null, r), key)
    if (!hit) return false
  }
  if (r.post.length === 0) return true
  const post = postSql(r)
  return prepared(db, `SELECT 1 FROM ${src.table} ${src.alias} WHERE ${src.alias}.id = ?${post.sql}`).get(id, ...post.params) !== undefined
}

/** Whether one row matches an FTS query (with the restrictions' facets and blocks). */
export function matches(db: Db, q: FtsQuery, key: bigint): boolean {
  return prepared(db, `SELECT 1 FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid = ?`).get(q.expr, key) !== undefined
}

/**
 * How a page is shared between the objects the search text names (a uuid, a URL: they come first, scored 100)
 * and the ordinary results after them: which named ones are on this page, and which slice of the ordinary
 * results fills the rest, under restrictions that leave the named ones out so nothing appears twice.
 */
export function pageAfterNamed(src: Source, start: number, count: number, named: number[], r: Restrictions) {
  const window = Math.min(start + count, MAX_TOTAL)
  return {
    /** Results up to the end of this page (0 when the page lies past MAX_TOTAL). */
    window,
    head: start < window ? named.slice(start).map((id): Hit => ({ id, score: 100 })) : [],
    rest: named.length
      ? { ...r, post: [...r.post, { sql: `${src.alias}.id NOT IN (${named.map(() => '?').join(', ')})`, params: named }] }
      : r,
    restStart: Math.max(0, start - named.length),
    restLimit: window - Math.max(start, named.length),
  }
}

/**
 * Takes [offset, offset + limit) across ordered buckets (each read with `read`), skipping whole buckets by a
 * capped count instead of reading them; a null bucket means "every row" and is only ever the last one.
 */
export function acrossBuckets(
  db: Db,
  src: Source,
  buckets: (FtsQuery | null)[],
  r: Restrictions,
  offset: number,
  limit: number,
  read: (b: FtsQuery | null, offset: number, limit: number) => number[],
): number[] {
  const out: number[] = []
  for (const [i, b] of buckets.entries()) {
    if (limit <= 0) break
    // The last bucket needs no count: whatever is left is read from it.
    if (b && i < buckets.length - 1) {
      const size = cappedCount(db, src, b, r, offset + limit)
      if (size <= offset) {
        offset -= size
        continue
      }
    }
    const ids = read(b, offset, limit)
    out.push(...ids)
    limit -= ids.length
    offset = 0
  }
  return out
}
