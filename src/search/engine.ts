// The engine's primitives over FTS5, shared by every kind (videos, channels, playlists): match expressions with
// their restrictions, capped counts, walks of a match list in rank order, column sorts and totals. search.ts
// composes them into a search; see src/search/README.md for the design and the measurements behind it.
//
// Every FTS index is keyed by the static rank (rank.ts): the FTS rowid is `rank * 2^32 + id`, so a match list read
// in descending rowid order is read best first, and FTS5 stops reading when the LIMIT is reached. Nothing here looks
// at every match of a common word except where a cap bounds it.
import type { Db } from '../db/open.ts'
import { prepared } from '../db/prepared.ts'
import { FACET } from './facets.ts'
import { KEY_SPAN } from './rank.ts'

/** Totals above this are reported as this number; pages beyond it are empty. */
export const MAX_TOTAL = 10_000

/** SQL turning an FTS key (written `$`) into the row id: the low 32 bits. */
export const ID_OF_KEY = '($ & 4294967295)'

/**
 * A column sort: the SQL expression (on the kind's alias) and the index that serves it, which ends with search_key.
 * `followsRank`: the static rank grows with the column (views, likes; "hot" weighs the date and the audience the
 * rank holds), so the rows first in descending order have high FTS keys, and the window plan of sortedIds reads
 * only the top of the match list.
 */
export type SortColumn = { expr: string; index: string; followsRank?: boolean }

/** A column sort with its direction. */
export type ColumnSort = SortColumn & { descending: boolean }

/** One relevance field (rule 3 of rank.ts): FTS columns, and the FTS table holding them. */
export type Field = { columns: string[]; fts: string }

/** Where and how one kind of object is searched. */
export type Kind = {
  table: string
  /** Alias of `table` in every query; row conditions and sort expressions use it. */
  alias: string
  /** FTS table with every searchable column and the facets column. */
  fts: string
  /** The text columns of `fts`. */
  textColumns: string[]
  /** Relevance fields, best first; the last is every text column of `fts` (rank.ts, rule 3). */
  fields: Field[]
  /** The FTS table and column of the title-like field (rule 5: exact title, phrase). */
  title: { fts: string; column: string }
  /** This kind's row counter in search_totals. */
  totalKey: string
  /** Column sorts by API name. */
  sorts: Record<string, SortColumn>
  /** The order of a listing without words: newest first. */
  newest: SortColumn
  /** Whether documents have a language (rank.ts, rule 4). */
  languages: boolean
}

/** A condition on the kind's table (prefixed with its alias), with its parameters. */
export type Condition = { sql: string; params: unknown[] }

/** What restricts a search besides its words. */
export type Restrictions = {
  /** FTS5 expression every match must satisfy (facets), or null. */
  facets: string | null
  /** FTS5 expression no match may satisfy (blocked accounts and hosts), or null. */
  blocked: string | null
  /** Conditions FTS cannot express (date and duration edges, flag masks, long value lists): a row read each. */
  post: Condition[]
  /** The FTS keys a match must be one of (a uuid filter), or null: then each is probed instead of walking lists. */
  only: number[] | null
  /** The smallest FTS key a match may have (a floor on the static rank), or null: FTS5 starts its walks there. */
  minKey: number | null
}

/** No restriction at all. */
export const NO_RESTRICTIONS: Restrictions = { facets: null, blocked: null, post: [], only: null, minKey: null }

/** One FTS5 query over one FTS table. */
export type FtsQuery = { fts: string; expr: string }

/** The expression listing every row that passes the facets, when there are no words. */
export const EVERY_ROW = `{facets}: "${FACET.all}"`

/** The full MATCH expression: text, AND facets, NOT blocked. */
export function matchExpr(text: string | null, r: Restrictions): string {
  let e = text ?? r.facets ?? EVERY_ROW
  if (text && r.facets) e = `(${e}) AND (${r.facets})`
  if (r.blocked) e = `(${e}) NOT (${r.blocked})`
  return e
}

/** Thrown (through SQL) when a search has read its share of rows for row conditions; see workBudget(). */
export class WorkBudgetExceeded extends Error {
  override name = 'WorkBudgetExceeded'
}

let rowsLeft = Infinity
let deadline = Infinity
let timeSpent = false

/**
 * Runs `fn` allowing `rows` row reads for row conditions and `ms` milliseconds of walking. Rows: selective
 * conditions (a narrow duration range on a common word, say) would otherwise read rows until the index ends; every
 * query with row conditions calls sepia_budget() once per row it reads, and past the budget that throws
 * WorkBudgetExceeded, which the search turns into a partial answer. Time: the walks ask timeLeft() between their
 * buckets, so that a long search of many frequent words down to deep pages (FTS5's own work on long lists, which no
 * row count sees) stops with the results found so far, as Meilisearch's searchCutoffMs does.
 */
export function workBudget<T>(limits: { rows: number; ms: number }, fn: () => T): T {
  const before = { rowsLeft, deadline, timeSpent }
  rowsLeft = limits.rows
  deadline = performance.now() + limits.ms
  timeSpent = false
  try {
    return fn()
  } finally {
    ;({ rowsLeft, deadline, timeSpent } = before)
  }
}

/** One row read for a row condition (the SQL function sepia_budget). */
export function spendRow(): number {
  if (--rowsLeft < 0) throw new WorkBudgetExceeded('row budget spent')
  return 1
}

/** Whether the current workBudget() still has time; once it has not, budgetSpent() says so too. */
export function timeLeft(): boolean {
  if (performance.now() <= deadline) return true
  timeSpent = true
  return false
}

/** Whether the current workBudget() ran out (then a walk may have stopped before its last match). */
export function budgetSpent(): boolean {
  return rowsLeft < 0 || timeSpent
}

function postSql(r: Restrictions): { sql: string; params: unknown[] } {
  if (r.post.length === 0) return { sql: '', params: [] }
  return { sql: `${r.post.map((c) => ` AND (${c.sql})`).join('')} AND sepia_budget()`, params: r.post.flatMap((c) => c.params) }
}

// better-sqlite3 binds JS numbers as REAL, and FTS5 silently ignores a rowid bound that is not an INTEGER (it
// then returns every match): every key compared with an FTS rowid goes through this cast.
const KEY = 'CAST(? AS INTEGER)'

/**
 * The rows matching a query under restrictions, as SQL: `from` (FROM and WHERE, with its parameters) and `key`,
 * the expression of a match's FTS key. FTS5 walks the match list; with `only`, the listed keys are probed instead.
 * Keys in `exclude` are skipped as they come, before any row is read for the row conditions (the order of the WHERE
 * terms is the order SQLite tests them in).
 */
function matchSource(kind: Kind, q: FtsQuery, r: Restrictions, exclude: number[] = []): { from: string; params: unknown[]; key: string } {
  const post = postSql(r)
  const a = kind.alias
  const key = r.only ? 'o.value' : `${q.fts}.rowid`
  const skip = [r.minKey !== null ? `${key} >= ${KEY}` : null, exclude.length ? `${key} NOT IN (SELECT value FROM json_each(?))` : null]
    .filter((x) => x !== null).join(' AND ') || null
  const skipParams = [...(r.minKey !== null ? [r.minKey] : []), ...(exclude.length ? [JSON.stringify(exclude)] : [])]
  if (r.only) {
    const join = r.post.length ? ` JOIN ${kind.table} ${a} ON ${a}.id = (o.value & 4294967295)` : ''
    return {
      from: `FROM json_each(?) o${join} WHERE ${skip ? `${skip} AND ` : ''}EXISTS (SELECT 1 FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid = o.value)${post.sql}`,
      params: [JSON.stringify(r.only), ...skipParams, q.expr, ...post.params],
      key,
    }
  }
  const join = r.post.length ? ` CROSS JOIN ${kind.table} ${a} ON ${a}.id = ${ID_OF_KEY.replaceAll('$', key)}` : ''
  return { from: `FROM ${q.fts}${join} WHERE ${q.fts} MATCH ?${skip ? ` AND ${skip}` : ''}${post.sql}`, params: [q.expr, ...skipParams, ...post.params], key }
}

/** Counts the matches of a query up to `cap` (stopping there), with every restriction applied. */
export function cappedCount(db: Db, kind: Kind, q: FtsQuery, r: Restrictions, cap: number): number {
  const m = matchSource(kind, q, r)
  return (prepared(db, `SELECT count(*) AS n FROM (SELECT 1 ${m.from} LIMIT ?)`).get(...m.params, cap) as { n: number }).n
}

/**
 * The matches of a query under restrictions (without row conditions), read once: `n`, how many (at most
 * MAX_TOTAL + 1), and `json`, their FTS keys as a JSON array. Every match is there when `n` is at most MAX_TOTAL.
 */
export type MatchList = { n: number; json: string }

/** Reads the matches of a query (MatchList): one FTS walk giving the count and, for column sorts, the keys to sort. */
export function matchList(db: Db, kind: Kind, q: FtsQuery, r: Restrictions): MatchList {
  const m = matchSource(kind, q, { ...r, post: [] })
  // In FTS5's own order (ascending keys): reading a list backwards costs a third more, and a whole list has no order.
  return prepared(db, `SELECT count(*) AS n, json_group_array(k) AS json FROM (SELECT ${m.key} AS k ${m.from} LIMIT ?)`)
    .get(...m.params, MAX_TOTAL + 1) as MatchList
}

/** The row id of an FTS key (keys stay below 2^53, so they are exact as numbers). */
export const idOfKey = (key: number) => key % KEY_SPAN

/** Counts the matches of a query up to a cap under a search's restrictions (cappedCount, or a memo of it). */
export type Count = (q: FtsQuery, cap: number) => number

/** The first `limit` matches of a query in rank order (best first), leaving out the rows with the keys `exclude`. */
export function bestMatches(db: Db, kind: Kind, q: FtsQuery, r: Restrictions, limit: number, exclude: number[] = []): number[] {
  if (limit <= 0) return []
  const m = matchSource(kind, q, r, exclude)
  return (prepared(db, `SELECT ${m.key} AS key ${m.from} ORDER BY ${m.key} DESC LIMIT ?`).all(...m.params, limit) as { key: number }[]).map((row) => row.key)
}

/** Whether one row (by FTS key) matches an FTS query. */
export function matches(db: Db, q: FtsQuery, key: number): boolean {
  return prepared(db, `SELECT 1 FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid = ${KEY}`).get(q.expr, key) !== undefined
}

/** Whether one row passes every restriction: used for an object the search text names directly. */
export function passes(db: Db, kind: Kind, id: number, key: number, r: Restrictions): boolean {
  if (r.only && !r.only.includes(key)) return false
  if (r.minKey !== null && key < r.minKey) return false
  if ((r.facets || r.blocked) && !matches(db, { fts: kind.fts, expr: matchExpr(null, r) }, key)) return false
  if (r.post.length === 0) return true
  const post = postSql(r)
  return prepared(db, `SELECT 1 FROM ${kind.table} ${kind.alias} WHERE ${kind.alias}.id = ?${post.sql}`).get(id, ...post.params) !== undefined
}

// Per-row costs measured at 1 M videos (BENCHMARKS.md), in µs: reading a row to sort it, probing FTS for one row,
// reading one match's key out of FTS into the set a sort index walk checks (0.3–0.45 µs with a language facet and
// the NSFW exclusion in the expression, as most sorted searches have: 0.12, measured on words alone, chose that
// plan for common words where probing is three times cheaper), and stepping a covering sort index.
const COST_ROW = 5
const COST_PROBE = 50
const COST_MATCH = 0.3
const COST_STEP = 0.3
// Reading one row of a sort index walk into JavaScript, and one match key into the window plan's set.
const COST_WALK = 0.4
const COST_KEY = 0.35
// Turning one key of a MatchList into the set a sort index walk checks (json_each into an ephemeral index).
const COST_LIST = 0.15
// Matches sampled (best ranked first) to estimate what share of all rows match.
const DENSITY_SAMPLE = 4000

/** How sortedIds may find its rows, beside the query: all optional. */
export type SortOptions = {
  /** Forces a plan (tests check that every plan gives the same rows). */
  plan?: 'sort' | 'filter' | 'probe' | 'window' | 'list'
  /** Counts matches under the restrictions without their row conditions: the search's memo, which often knows the count already. */
  count?: Count
  /** A bound on the matches known beforehand (the search's total): below the small-set threshold, nothing is counted. */
  atMost?: number
  /**
   * The matches of a query under the restrictions (matchList, or the search's memo of it): given when the search
   * knows that every part has at most MAX_TOTAL matches, so that the list plan sorts them without walking FTS again.
   */
  list?: (q: FtsQuery) => MatchList
  /** The share of rows matching a query (matchDensity, or the search's memo of it). */
  density?: (q: FtsQuery) => number
}

/**
 * Rows [offset, offset + limit) of the matches of `q` in `sort` order (ties by FTS key, same direction), by the
 * cheapest exact plan for this query:
 * * the matches already read (a MatchList): look up and sort them, or walk the sort index keeping their keys;
 * * few matches: read and sort them all;
 * * many: walk the sort index (it holds each row's key), keeping rows whose key is in the match set, which is
 *   read once from FTS;
 * * dense matches, first pages: walk the sort index probing FTS row by row, stopping at the page's last row;
 * * dense matches, a column the rank follows (descending): walk the sort index a window at a time, reading only
 *   the matches whose keys are at least the window's lowest (windowed()).
 * `q` null: every row qualifies (no words, facets nor blocks), the sort index alone answers.
 */
export function sortedIds(
  db: Db, kind: Kind, q: FtsQuery | null, r: Restrictions, sort: ColumnSort, offset: number, limit: number, options: SortOptions = {},
): number[] {
  if (limit <= 0) return []
  const { plan, atMost = Infinity } = options
  const count = options.count ?? ((q: FtsQuery, cap: number) => cappedCount(db, kind, q, { ...r, post: [] }, cap))
  const a = kind.alias
  const post = postSql(r)
  const dir = sort.descending ? 'DESC' : 'ASC'
  // Ties go by the FTS key (rank, then id), which ends every sort index: the index order is the answer's order.
  const order = `ORDER BY ${sort.expr} ${dir}, ${a}.search_key ${dir}`
  const ids = (sql: string, params: unknown[]) => (prepared(db, sql).all(...params) as { id: number }[]).map((row) => row.id)
  const floor = r.minKey !== null ? ` AND ${a}.search_key >= ${KEY}` : ''
  const floorParams = r.minKey !== null ? [r.minKey] : []
  if (q === null && !r.only) {
    return ids(`SELECT ${a}.id FROM ${kind.table} ${a} INDEXED BY ${sort.index} WHERE 1${floor}${post.sql} ${order} LIMIT ? OFFSET ?`, [
      ...floorParams, ...post.params, limit, offset,
    ])
  }
  q ??= { fts: kind.fts, expr: EVERY_ROW }
  const need = offset + limit
  // The two ways to take a page from a set of match keys given as SQL (FTS5 itself, or a match list): look every
  // row up and sort them, or walk the sort index keeping the rows whose key is in the set.
  const sortAll = (keys: string, params: unknown[]) =>
    ids(`SELECT ${a}.id FROM ${kind.table} ${a} WHERE ${a}.id IN (SELECT ${ID_OF_KEY.replaceAll('$', 'k')} FROM (${keys}))${post.sql} ${order} LIMIT ? OFFSET ?`, [
      ...params, ...post.params, limit, offset,
    ])
  const filterIndex = (keys: string, params: unknown[]) =>
    ids(`SELECT ${a}.id FROM ${kind.table} ${a} INDEXED BY ${sort.index} WHERE ${a}.search_key IN (SELECT k FROM (${keys}))${floor}${post.sql} ${order} LIMIT ? OFFSET ?`, [
      ...params, ...floorParams, ...post.params, limit, offset,
    ])
  if (options.list && (plan === undefined || plan === 'list')) {
    const list = options.list(q)
    if (list.n <= MAX_TOTAL) {
      if (list.n === 0) return []
      // The keys already satisfy the floor and the FTS part; only row conditions are left.
      const stepping = COST_LIST * list.n + ((COST_STEP + (r.post.length ? COST_ROW : 0)) * need * rowTotal(db, kind)) / list.n
      const listed = 'SELECT value AS k FROM json_each(?)'
      return COST_ROW * list.n <= stepping ? sortAll(listed, [list.json]) : filterIndex(listed, [list.json])
    }
  }
  // The matches as FTS5 finds them, row conditions left to the plans.
  const source = matchSource(kind, q, { ...r, post: [] })
  const matched = `SELECT ${source.key} AS k ${source.from}`
  const small = Math.max(200, Math.round(Math.sqrt((COST_STEP * need * rowTotal(db, kind)) / COST_ROW)))
  const matchesCount = plan || r.only ? -1 : atMost < small ? atMost : count(q, small)
  if (matchesCount === 0) return []
  if (plan === 'sort' || r.only || (matchesCount >= 0 && matchesCount < small)) return sortAll(matched, source.params)
  const density = Math.max(options.density ? options.density(q) : matchDensity(db, kind, q, r), 1e-6)
  // The sort index in the answer's order, with each row's FTS key, `limit` rows at most (-1: all): the window and
  // probe plans walk it.
  const walk = (limit: number) =>
    prepared(db, `SELECT ${a}.id AS id, ${a}.search_key AS key FROM ${kind.table} ${a} INDEXED BY ${sort.index} WHERE 1${floor}${post.sql} ${order} LIMIT ?`)
      .iterate(...floorParams, ...post.params, limit) as Iterable<{ id: number; key: number }>
  const probing = (COST_PROBE * need) / density
  const filtering = COST_MATCH * density * rowTotal(db, kind) + (COST_STEP * need) / density
  // Worth trying when the walk costs well under the filter plan; it gives up (and the filter plan answers) past
  // half the matches or four times the expected walk: the rank did not follow the column for these rows.
  // A walked row costs a row read too when row conditions apply.
  const walking = ((COST_WALK + (r.post.length ? COST_ROW : 0)) * need) / density
  if (plan === 'window' || (!plan && sort.followsRank && sort.descending && walking < filtering / 2)) {
    const limits = plan ? null : { keys: Math.ceil((0.5 * filtering) / COST_KEY), rows: Math.ceil((4 * need) / density) }
    const found = windowed(db, q, walk, need, density, limits)
    if (found) return found.slice(offset)
  }
  if (plan === 'probe' || (!plan && probing < filtering)) {
    const probe = prepared(db, `SELECT 1 FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid = ${KEY}`)
    const found: number[] = []
    // Twice the expected walk, then give up for the other plan: the density was only estimated.
    const walkLimit = plan === 'probe' ? -1 : Math.ceil((2 * need) / density)
    let walked = 0
    for (const row of walk(walkLimit)) {
      walked++
      if (probe.get(q.expr, row.key)) found.push(row.id)
      if (found.length === need) break
    }
    // Done if the page is full, or if the whole index was walked (fewer matches than the page asks for).
    if (found.length === need || walked < walkLimit || walkLimit < 0) return found.slice(offset)
  }
  return filterIndex(matched, source.params)
}

/**
 * The window plan: the sort index is walked a window of rows at a time (the first window twice the expected walk,
 * each next one twice as large); the lowest FTS key of a window bounds the matches that can be among its rows, so
 * only the matches from that key up are read (FTS5 walks its list from the top and stops there), added to those
 * already read, and the window's rows are checked against them in sort order. When the rank follows the sort column
 * the first rows have high keys and a few thousand matches are read instead of every one. Exact whatever the
 * data: every row checked has a key at least the lowest read. `limits`: the most keys to read and rows to walk;
 * past either it returns null.
 */
function windowed(
  db: Db, q: FtsQuery, walk: (limit: number) => Iterable<{ id: number; key: number }>, need: number, density: number, limits: { keys: number; rows: number } | null,
): number[] | null {
  const read = prepared(db, `SELECT rowid FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid >= ${KEY} AND rowid < ${KEY} ORDER BY rowid DESC LIMIT ?`).pluck(true)
  const keys = new Set<number>()
  const found: number[] = []
  // The matches read so far are those with keys from `lowest` up.
  let lowest = Number.MAX_SAFE_INTEGER
  let window: { id: number; key: number }[] = []
  // Forced (no limits: tests), windows start at one row, so that reading the matches window after window is exercised.
  let size = limits ? Math.max(64, Math.ceil((2 * need) / density)) : 1
  let walked = 0
  // Checks the window's rows in order, reading the matches down to its lowest key first; false past the key limit.
  const check = (): boolean => {
    let bottom = lowest
    for (const { key } of window) if (key < bottom) bottom = key
    if (bottom < lowest) {
      const left = limits ? limits.keys - keys.size : Infinity
      const more = read.all(q.expr, bottom, lowest, limits ? left + 1 : -1) as number[]
      if (more.length > left) return false
      for (const key of more) keys.add(key)
      lowest = bottom
    }
    for (const { id, key } of window) if (keys.has(key) && found.push(id) === need) break
    window = []
    size *= 2
    return true
  }
  for (const row of walk(limits ? limits.rows : -1)) {
    walked++
    window.push(row)
    if (window.length < size) continue
    if (!check()) return null
    if (found.length === need) return found
  }
  if (window.length && !check()) return null
  // Fewer than `need` found: all there are if the walk reached the end of the index, unknown if it hit its limit.
  return found.length === need || !limits || walked < limits.rows ? found : null
}

/** The number of rows of a kind, kept by triggers in search_totals. */
export function storedTotal(db: Db, kind: Kind): number {
  return (prepared(db, 'SELECT n FROM search_totals WHERE kind = ?').get(kind.totalKey) as { n: number } | undefined)?.n ?? 0
}

// For cost estimates, which divide by it.
const rowTotal = (db: Db, kind: Kind) => Math.max(1, storedTotal(db, kind))

/** The share of rows that match `q`, measured on the best-ranked few thousand rows. */
export function matchDensity(db: Db, kind: Kind, q: FtsQuery, r: Restrictions): number {
  const edge = sampleEdge(db, kind)
  if (edge === undefined) {
    const rows = cappedCount(db, kind, { fts: kind.fts, expr: EVERY_ROW }, NO_RESTRICTIONS, DENSITY_SAMPLE)
    return rows === 0 ? 0 : cappedCount(db, kind, q, { ...r, post: [] }, DENSITY_SAMPLE) / rows
  }
  const hits = (prepared(db, `SELECT count(*) AS n FROM (SELECT 1 FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid >= ${KEY} LIMIT ?)`)
    .get(q.expr, edge, DENSITY_SAMPLE) as { n: number }).n
  return hits / DENSITY_SAMPLE
}

// The key of the DENSITY_SAMPLE-th best-ranked row, kept per connection until the database changes (reading it
// walks thousands of keys, and a search may ask for it several times).
const edges = new WeakMap<Db, Map<string, { version: string; key: number | undefined }>>()

/** A value that changes whenever the database may have changed: what a connection remembers between searches is valid while it stays. */
export function dataVersion(db: Db): string {
  // data_version moves when another connection commits, total_changes() when this one writes.
  return (prepared(db, "SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes() AS v").get() as { v: string }).v
}

function sampleEdge(db: Db, kind: Kind): number | undefined {
  const version = dataVersion(db)
  let cache = edges.get(db)
  if (!cache) edges.set(db, (cache = new Map()))
  const known = cache.get(kind.fts)
  if (known?.version === version) return known.key
  const key = (prepared(db, `SELECT rowid AS k FROM ${kind.fts} WHERE ${kind.fts} MATCH '${EVERY_ROW}' ORDER BY rowid DESC LIMIT 1 OFFSET ?`)
    .get(DENSITY_SAMPLE - 1) as { k: number } | undefined)?.k
  cache.set(kind.fts, { version, key })
  return key
}

// With row conditions, an exact count joins every match; past this many, a sample estimates the share that passes.
const EXACT_JOIN = 2000
const SAMPLE = 1000
// How far the FTS-only count goes when a sample will scale it.
const ESTIMATE_CAP = 50_000

/**
 * The number of matches, up to `cap`: exact without row conditions (FTS only) or when few; otherwise the FTS
 * count scaled by the share of a sample of matches that passes the row conditions (an estimate). The sample is
 * every n-th match in rank order: the rank holds the publication date and the views, so the first or last
 * thousand matches would judge a date condition on the oldest videos only.
 */
export function matchCount(db: Db, kind: Kind, q: FtsQuery, r: Restrictions, cap: number): number {
  if (r.post.length === 0 || r.only) return cappedCount(db, kind, q, r, cap)
  const unfiltered = cappedCount(db, kind, q, { ...r, post: [] }, ESTIMATE_CAP)
  if (unfiltered <= EXACT_JOIN) return cappedCount(db, kind, q, r, cap)
  const step = Math.ceil(unfiltered / SAMPLE)
  const post = postSql(r)
  const passed = (prepared(
    db,
    `SELECT count(*) AS n FROM (SELECT k FROM (SELECT k, row_number() OVER () AS i FROM (SELECT rowid AS k FROM ${q.fts} WHERE ${q.fts} MATCH ? AND rowid >= ${KEY} LIMIT ?))
     WHERE i % ? = 0) f CROSS JOIN ${kind.table} ${kind.alias} ON ${kind.alias}.id = ${ID_OF_KEY.replaceAll('$', 'f.k')} WHERE 1${post.sql}`,
  ).get(q.expr, r.minKey ?? Number.MIN_SAFE_INTEGER, unfiltered, step, ...post.params) as { n: number }).n
  return Math.min(cap, Math.round((unfiltered * passed) / Math.floor(unfiltered / step)))
}

/**
 * Takes [offset, offset + limit) across ordered buckets (each read with `read`), skipping whole buckets by a
 * capped count instead of reading them; a null bucket means "every row" and is only ever the last one.
 */
export function acrossBuckets(
  buckets: (FtsQuery | null)[],
  offset: number,
  limit: number,
  /** Counts a bucket's matches under every restriction. */
  count: Count,
  read: (b: FtsQuery | null, offset: number, limit: number) => number[],
): number[] {
  const out: number[] = []
  for (const [i, b] of buckets.entries()) {
    if (limit <= 0 || (i > 0 && !timeLeft())) break
    // The last bucket needs no count: whatever is left is read from it.
    if (b && i < buckets.length - 1) {
      const size = count(b, offset + limit)
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
