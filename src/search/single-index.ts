// Search over a kind with one FTS index (channels, playlists): the same tiers, sorts and totals as videos, on
// tables small enough (hundreds of thousands of rows at federation scale) to need no second index.
import type { Db } from '../db/open.ts'
import {
  MAX_TOTAL, acrossBuckets, pageAfterNamed, matchCount, matchExpr, matches, passes, prepared, rankedHits, sortedIds, type ColumnSort,
  type FtsQuery, type Hit, type Restrictions, type Tier,
} from './engine.ts'
import type { RankQuery, TermGroup } from './rank.ts'
import { allExpr, relaxationLevels, requirements, termGroups, type TextSource } from './terms.ts'
import { parseText } from './text.ts'

/** How one kind is searched: its index, relevance tiers (column sets, best first) and sorts. */
export type Kind = {
  source: TextSource
  /** Column sets of the relevance tiers before "anywhere", best first. */
  tiers: string[][]
  sorts: Record<string, Omit<ColumnSort, 'descending'>>
  /** Scores candidates of a block (see rank.ts). */
  score: (db: Db, ids: number[], q: RankQuery) => Map<number, number>
}

const BLOCK = 200

/** What a search over one kind needs besides its kind. */
export type SingleIndexQuery = {
  search: string | null
  start: number
  count: number
  sort: string
  restrictions: Restrictions
  /** Row ids (with keys) named by the search text; they come first when they pass the filters. */
  named: { id: number; key: bigint }[]
  /** The text is an identifier (handle, uuid, URL): its words are all required, never relaxed. */
  identifier: boolean
}

/** Searches one kind: a page of scored row ids in order, and the total (exact up to MAX_TOTAL). */
export function searchSingleIndex(db: Db, kind: Kind, q: SingleIndexQuery): { hits: Hit[]; total: number } {
  const src = kind.source
  const r = q.restrictions
  const exact = q.named.filter((n) => passes(db, src, n.id, n.key, r)).map((n) => n.id)
  const groups = termGroups(db, src, parseText(q.search ?? ''))
  const required = groups.length === 0 ? null : requirements(db, src, groups)
  const levels = !required ? [] : q.identifier ? [required.groups] : relaxationLevels(required)
  const rankQuery: RankQuery = { groups, boostLanguages: new Set() }
  const page = pageAfterNamed(src, q.start, q.count, exact, r)
  const rest = page.rest
  let hits: Hit[] = []
  if (q.start < page.window) {
    const descending = q.sort.startsWith('-')
    const column = q.sort.replace(/^-/, '')
    let found: Hit[]
    if (column === 'match' && levels.length > 0) {
      found = rankedHits(db, src, tiers(kind, levels, r), r, {
        need: page.window - exact.length,
        block: BLOCK,
        seen: new Set(exact),
        score: (ids) => kind.score(db, ids, rankQuery),
      }).slice(page.restStart, page.restStart + page.restLimit)
    } else {
      // Without text, "match" lists the newest first, like PeerTube's ties broken by id.
      const sort: ColumnSort = column === 'match' ? { ...kind.sorts.createdAt!, descending: true } : { ...kind.sorts[column]!, descending }
      const buckets = levels.length ? sortBuckets(src, levels, rest) : [rest.facets || rest.blocked ? { fts: src.fts, expr: matchExpr(null, rest) } : null]
      const ids = acrossBuckets(db, src, buckets, rest, page.restStart, page.restLimit, (b, offset, limit) =>
        sortedIds(db, src, b, rest, sort, offset, limit),
      )
      const scores = levels.length ? kind.score(db, ids, rankQuery) : new Map<number, number>()
      found = ids.map((id) => ({ id, score: scores.get(id) ?? 0 }))
    }
    hits = [...page.head, ...found].slice(0, q.count)
  }
  return { hits, total: total(db, kind, levels, r, q.named.filter((n) => exact.includes(n.id))) }
}

function tiers(kind: Kind, levels: TermGroup[][], r: Restrictions): Tier[] {
  const src = kind.source
  const out: Tier[] = []
  for (const [k, level] of levels.entries()) {
    const notPrev = k > 0 ? ` NOT (${allExpr(levels[k - 1]!, src.textColumns)})` : ''
    const guard = { fts: src.fts, expr: matchExpr(`(${allExpr(level, src.textColumns)})${notPrev}`, r) }
    const sets = [...kind.tiers, src.textColumns]
    for (const [i, cols] of sets.entries()) {
      let e = `(${allExpr(level, cols)})`
      if (i > 0) e += ` NOT (${allExpr(level, sets[i - 1]!)})`
      out.push({ fts: src.fts, expr: matchExpr(`(${e})${notPrev}`, r), guards: [guard] })
    }
  }
  return out
}

function sortBuckets(src: TextSource, levels: TermGroup[][], r: Restrictions): FtsQuery[] {
  return levels.map((level, k) => {
    let e = allExpr(level, src.textColumns)
    if (k > 0) e = `(${e}) NOT (${allExpr(levels[k - 1]!, src.textColumns)})`
    return { fts: src.fts, expr: matchExpr(e, r) }
  })
}

function total(db: Db, kind: Kind, levels: TermGroup[][], r: Restrictions, named: { id: number; key: bigint }[]): number {
  const src = kind.source
  const last = levels.at(-1)
  if (!last && !r.facets && !r.blocked && r.post.length === 0) {
    return Math.min(MAX_TOTAL, (prepared(db, 'SELECT n FROM search_totals WHERE kind = ?').get(src.totalKey) as { n: number }).n)
  }
  const q: FtsQuery = { fts: src.fts, expr: matchExpr(last ? allExpr(last, src.textColumns) : null, r) }
  let n = matchCount(db, src, q, r, MAX_TOTAL)
  for (const x of named) if (!matches(db, q, x.key)) n++
  return Math.min(n, MAX_TOTAL)
}
