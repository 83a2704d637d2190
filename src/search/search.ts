// The one search path for every kind (videos, channels, playlists): the words are analysed into groups and
// levels (forms.ts, rank.ts); relevance walks the buckets of rank.ts in order, each in rank order, reading only
// what the page needs; other sorts take the matches in the same first rules' order (levels, then typos) and sort
// each part by the column (engine.ts sortedIds). The kind files (videos.ts, channels.ts, playlists.ts) only say
// what a kind is, turn filters into restrictions, and shape the output.
import type { Db } from '../db/open.ts'
import { prepared } from '../db/prepared.ts'
import {
  MAX_TOTAL, WorkBudgetExceeded, acrossBuckets, bestMatches, budgetSpent, cappedCount, idOfKey, matchCount, matchExpr, matches, matchList,
  matchDensity, passes, sortedIds, storedTotal, timeLeft, workBudget, type Count, type FtsQuery, type Kind, type MatchList, type Restrictions,
} from './engine.ts'
import { allExpr, analyze, type Analysis } from './forms.ts'
import { FormClass, bucketOrder, displayScore, levels as levelsOf, type BucketSpec, type TermGroup } from './rank.ts'
import { parseText } from './text.ts'

/** What a search over one kind needs, filters already turned into restrictions. */
export type KindQuery = {
  /** The words (null: list whatever passes the filters). */
  text: string | null
  /** The text names an object (uuid, handle, URL): its words are all required, never relaxed nor varied. */
  identifier: boolean
  /** Rows the text names (with their FTS keys): first on the page when they pass the filters. */
  named: { id: number; key: number }[]
  start: number
  count: number
  /** `match` / `-match` (relevance) or a column of `kind.sorts`, `-` for descending. */
  sort: string
  restrictions: Restrictions
  /** Rule 4: an FTS5 expression on facets for the boosted languages, or null. */
  boost: string | null
}

/** A result: the row id and the score shown with it. */
export type Hit = { id: number; score: number }

/**
 * The work one search may do (engine.ts workBudget). Rows read for row conditions (a few µs each): a filter so
 * selective that 50,000 are not enough (a one-second duration range on a common word) gets the results found within
 * them, and an estimated total. Time spent walking buckets: ordinary searches take under 100 ms at 2 M videos
 * (BENCHMARKS.md); only hostile ones (8 frequent words down to the 10,000th result, sorted by a column) reach 250 ms,
 * and get the results found by then, in order. Tests lower it to reach it on a small index.
 */
export const SEARCH_LIMITS = { rows: 50_000, ms: 250 }

/** The counts, match lists and densities of one search, each query run once. */
type Memo = { count: Count; list: (q: FtsQuery) => MatchList; density: (q: FtsQuery) => number }

/** Counts and reads matches under the search's restrictions, remembering them so that a repeated query is not run again. */
function memo(db: Db, kind: Kind, r: Restrictions): Memo {
  // For each query, the count found and the cap it was counted with: a count below its cap is exact for any cap.
  const known = new Map<string, { n: number; cap: number }>()
  const lists = new Map<string, MatchList>()
  const densities = new Map<string, number>()
  const id = (q: FtsQuery) => `${q.fts}\n${q.expr}`
  return {
    count: (q, cap) => {
      const k = known.get(id(q))
      if (k && (k.n < k.cap || cap <= k.cap)) return Math.min(k.n, cap)
      const n = cappedCount(db, kind, q, r, cap)
      known.set(id(q), { n, cap })
      return n
    },
    list: (q) => {
      let list = lists.get(id(q))
      if (!list) {
        lists.set(id(q), (list = matchList(db, kind, q, r)))
        known.set(id(q), { n: list.n, cap: MAX_TOTAL + 1 })
      }
      return list
    },
    density: (q) => {
      let d = densities.get(id(q))
      if (d === undefined) densities.set(id(q), (d = matchDensity(db, kind, q, r)))
      return d
    },
  }
}

/** Searches one kind: a page of hits in order, and the number of matches (exact up to MAX_TOTAL, see total()). */
export function searchKind(db: Db, kind: Kind, q: KindQuery): { hits: Hit[]; total: number } {
  return workBudget(SEARCH_LIMITS, () => {
    const r = q.restrictions
    const m = memo(db, kind, r)
    const named = q.named.filter((n) => passes(db, kind, n.id, n.key, r))
    const parsed = parseText(q.text ?? '')
    const analysis = parsed.terms.length ? analyze(db, kind, parsed, q.identifier) : null
    const levels = analysis ? levelsOf(analysis.required, analysis.df, !q.identifier) : []
    const column = q.sort.replace(/^-/, '')
    const relevance = column === 'match' && analysis !== null && levels.length > 0
    // Counted first: the walk's guards are often the same queries. A column sort reads the matches while counting
    // them, to sort them next, unless the sample says there are many more than MAX_TOTAL: then the list would stop
    // there, of no use to the sort, and costs more than the count (reading every key).
    const listed: Count = (q, cap) => (m.density(q) * storedTotal(db, kind) > 2 * MAX_TOTAL ? m.count(q, cap) : Math.min(m.list(q).n, cap))
    const n = total(db, kind, levels, r, named, relevance ? m.count : listed)
    // Named rows hold the first places; the ordinary results fill [restStart, restStart + restLimit) after them.
    const window = Math.min(q.start + q.count, MAX_TOTAL)
    const restStart = Math.max(0, q.start - named.length)
    const restLimit = window - Math.max(q.start, named.length)
    let rest: Hit[] = []
    if (restLimit > 0) {
      if (relevance) {
        rest = ranked(db, kind, analysis!, levels, q.boost, r, restStart + restLimit, named.map((x) => x.key), m.count).slice(restStart)
      } else {
        rest = sorted(db, kind, levels, column, q.sort.startsWith('-'), r, named, restStart, restLimit, m, n)
      }
    }
    const head = named.slice(q.start, window).map((x): Hit => ({ id: x.id, score: 100 }))
    const hits = [...head, ...rest].slice(0, q.count)
    return { hits, total: pageTotal(n, q, hits.length) }
  })
}

/**
 * The total shown with a page: never fewer matches than the page shows, and, when a page that was not cut short
 * (by MAX_TOTAL or the row budget) is not full, exactly the matches up to its end. An estimated total (row
 * conditions, engine.ts matchCount) then agrees with what the visitor sees.
 */
function pageTotal(counted: number, q: KindQuery, shown: number): number {
  // The rows this page could hold: none past the MAX_TOTAL-th result.
  const room = Math.max(0, Math.min(q.count, MAX_TOTAL - q.start))
  if (shown < room && !budgetSpent()) return shown > 0 || q.start === 0 ? q.start + shown : Math.min(counted, q.start)
  return shown > 0 ? Math.min(MAX_TOTAL, Math.max(counted, q.start + shown)) : counted
}

/** A bucket of rank.ts as a query, with the cheaper queries that prove it empty when they find nothing. */
type Bucket = { q: FtsQuery; guards: FtsQuery[] }

/** The FTS5 queries of the buckets of a search, in rank order. */
export function bucketQueries(kind: Kind, a: Analysis, levels: TermGroup[][], boost: string | null, r: Restrictions): Bucket[] {
  const specs = bucketOrder({
    levels,
    fields: kind.fields.length,
    multiWord: a.phrases.length > 0,
    exactTitle: a.exactTitle.length > 0,
    boost: kind.languages && boost !== null,
  })
  const shortColumns = [...new Set(kind.fields.filter((f) => f.fts !== kind.fts).flatMap((f) => f.columns))]
  const out: Bucket[] = []
  const seen = new Set<string>()
  for (const spec of specs) {
    const level = levels[spec.level]!
    const text = bucketText(kind, a, level, spec)
    const q = { fts: text.fts, expr: matchExpr(spec.boosted ? `(${text.expr}) AND (${boost})` : text.expr, r) }
    // A bucket equal to an earlier one (a word with no variant forms) holds nothing new.
    const id = `${q.fts}\n${q.expr}`
    if (seen.has(id)) continue
    seen.add(id)
    // Widest first: the level anywhere, the level in the short fields, then this bucket's field (any form), each
    // proving empty every bucket it holds; with the boost, the same within the boosted languages.
    const field = kind.fields[spec.field]!
    const widths = [{ fts: kind.fts, columns: kind.textColumns }]
    if (field.fts !== kind.fts && shortColumns.length) widths.push({ fts: field.fts, columns: shortColumns })
    widths.push(field)
    const guards = widths.map((w) => ({ fts: w.fts, expr: matchExpr(allExpr(level, w.columns, FormClass.typo), r) }))
    if (spec.boosted) guards.push(...widths.map((w) => ({ fts: w.fts, expr: matchExpr(`(${allExpr(level, w.columns, FormClass.typo)}) AND (${boost})`, r) })))
    out.push({ q, guards })
  }
  return out
}

function bucketText(kind: Kind, a: Analysis, level: TermGroup[], spec: BucketSpec): FtsQuery {
  if (spec.exactness === 'title') return { fts: kind.title.fts, expr: `{facets}: (${a.exactTitle.map((t) => `"${t}"`).join(' OR ')})` }
  if (spec.exactness === 'phrase') return { fts: kind.title.fts, expr: `{${kind.title.column}}: (${a.phrases.join(' OR ')})` }
  const field = kind.fields[spec.field]!
  return { fts: field.fts, expr: allExpr(level, field.columns, spec.forms) }
}

/**
 * The relevance walk: each bucket in rank order, reading its best matches not yet on the page, until `need` rows
 * are found. A bucket is only read once every earlier bucket is exhausted, so the page is exactly the first
 * `need` documents of the ranking; cost O(need) rows per bucket read, plus one capped query per empty bucket
 * (empty buckets of a level share their guards). A spent row budget ends the walk with what was found.
 */
function ranked(db: Db, kind: Kind, a: Analysis, levels: TermGroup[][], boost: string | null, r: Restrictions, need: number, exclude: number[], count: Count): Hit[] {
  const buckets = bucketQueries(kind, a, levels, boost, r)
  const keys = [...exclude]
  const out: Hit[] = []
  try {
    for (const [i, b] of buckets.entries()) {
      // Out of time: the results found so far (the first bucket is always read: one query).
      if (out.length >= need || (i > 0 && !timeLeft())) break
      if (b.guards.some((g) => count(g, 1) === 0)) continue
      for (const key of bestMatches(db, kind, b.q, r, need - out.length, keys)) {
        keys.push(key)
        out.push({ id: idOfKey(key), score: displayScore(i, buckets.length, key) })
      }
    }
  } catch (err) {
    if (!(err instanceof WorkBudgetExceeded)) throw err
  }
  return out
}

/**
 * A column sort: the matches taken in the order of the first ranking rules (all the words, then fewer; at each
 * level, without typos then with), each part sorted by the column. The parts are disjoint (each leaves out the
 * previous one), so a page is found by counting whole parts, not reading them.
 */
function sorted(
  db: Db, kind: Kind, levels: TermGroup[][], column: string, descending: boolean, r: Restrictions, named: { id: number }[], offset: number, limit: number, m: Memo,
  /** The search's total (total()), which every part is a subset of. */
  total: number,
): Hit[] {
  const sort = column === 'match' ? { ...kind.newest, descending: true } : { ...kind.sorts[column]!, descending }
  // Named rows are already at the top; the sorted rest leaves them out.
  const rows = named.length ? { ...r, post: [...r.post, { sql: `${kind.alias}.id NOT IN (${named.map(() => '?').join(', ')})`, params: named.map((n) => n.id) }] } : r
  // A part leaves out every earlier one: the earlier levels (any form: each level holds the one before it) and,
  // for the typo part, the same level without typos.
  const parts: string[] = []
  for (const [k, level] of levels.entries()) {
    const before = k ? allExpr(levels[k - 1]!, kind.textColumns, FormClass.typo) : null
    const exact = allExpr(level, kind.textColumns, FormClass.variant)
    const typos = allExpr(level, kind.textColumns, FormClass.typo)
    parts.push(before ? `(${exact}) NOT (${before})` : exact)
    if (typos !== exact) parts.push(`(${typos}) NOT (${before ? `(${exact}) OR (${before})` : exact})`)
  }
  const buckets: (FtsQuery | null)[] = parts.length
    ? parts.map((e) => ({ fts: kind.fts, expr: matchExpr(e, rows) }))
    : [rows.facets || rows.blocked ? { fts: kind.fts, expr: matchExpr(null, rows) } : null]
  try {
    // The search's memo counts under `r`: it serves the parts when they are restricted as the search is (no named
    // rows left out), and it often knows a part already (the total's query is often the only part).
    const same = rows === r
    const bucketCount: Count = same ? m.count : (b, cap) => cappedCount(db, kind, b, rows, cap)
    // sortedIds counts without row conditions, so it shares the memo only when there are none; then the total is
    // also exact below MAX_TOTAL, and bounds every part, since the total's query holds them all: each part's
    // matches can then be read in full (the memo's lists are read without row conditions, which the list plan
    // applies, so named rows left out change nothing there).
    const plain = same && r.post.length === 0
    const complete = r.post.length === 0 && total < MAX_TOTAL
    const options = { count: plain ? m.count : undefined, atMost: plain && complete ? total : Infinity, list: complete ? m.list : undefined, density: m.density }
    return acrossBuckets(buckets, offset, limit, bucketCount, (b, o, l) => sortedIds(db, kind, b, rows, sort, o, l, options))
      .map((id) => ({ id, score: 0 }))
  } catch (err) {
    if (!(err instanceof WorkBudgetExceeded)) throw err
    return []
  }
}

/**
 * Matches of the whole search (the most relaxed level, any form), plus named rows that do not match its words;
 * exact up to MAX_TOTAL, except with row conditions on many matches, where it is estimated (engine.ts matchCount).
 */
function total(db: Db, kind: Kind, levels: TermGroup[][], r: Restrictions, named: { id: number; key: number }[], count: Count): number {
  const last = levels.at(-1)
  if (!last && !r.facets && !r.blocked && r.post.length === 0 && !r.only && r.minKey === null) return Math.min(MAX_TOTAL, storedTotal(db, kind))
  const q: FtsQuery = { fts: kind.fts, expr: matchExpr(last ? allExpr(last, kind.textColumns, FormClass.typo) : null, r) }
  let n: number
  try {
    n = r.post.length ? matchCount(db, kind, q, r, MAX_TOTAL) : count(q, MAX_TOTAL)
  } catch (err) {
    if (!(err instanceof WorkBudgetExceeded)) throw err
    // The count without row conditions bounds the true one from above.
    n = cappedCount(db, kind, q, { ...r, post: [] }, MAX_TOTAL)
  }
  for (const x of named) if (!matches(db, q, x.key)) n++
  return Math.min(n, MAX_TOTAL)
}

/** Reads the rows of `hits` with `select` (a SELECT ending in `WHERE <alias>.id IN`) and formats them in hit order. */
export function inHitOrder<Row extends { id: number }, Out>(db: Db, select: string, hits: Hit[], format: (row: Row, score: number) => Out): Out[] {
  if (hits.length === 0) return []
  const rows = prepared(db, `${select} (SELECT value FROM json_each(?))`).all(JSON.stringify(hits.map((h) => h.id))) as Row[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  return hits.flatMap((h) => (byId.has(h.id) ? [format(byId.get(h.id)!, h.score)] : []))
}
