// /api/v1/search/videos: filters, relevance tiers and sorts for videos (the engine is in engine.ts).
import type { Db } from '../db/open.ts'
import {
  MAX_TOTAL, acrossBuckets, pageAfterNamed, keyOrderedIds, matchCount, matchExpr, matches, passes, prepared, rankedHits, sortedIds,
  type ColumnSort, type Condition, type FtsQuery, type Hit, type Restrictions, type Tier,
} from './engine.ts'
import { VIDEO_COLUMNS, formatVideo, type VideoRow } from './format.ts'
import { parseIdentifier } from './identifiers.ts'
import type { VideosQuery } from './params.ts'
import { score, type RankQuery, type TermGroup } from './rank.ts'
import { allExpr, relaxationLevels, requirements, termGroups, type TextSource } from './terms.ts'
import { ftsToken, hexToken, parseText } from './text.ts'
import type { ApiVideo, ResultList } from './types.ts'

/** Where videos are searched (the full index; the short one is used by the relevance tiers). */
export const VIDEO_SOURCE: TextSource = {
  table: 'videos',
  alias: 'v',
  fts: 'videos_fts',
  idOfKey: '($ & 4294967295)',
  keyOfRow: 'v.search_key',
  totalKey: 'videos',
  textColumns: ['name', 'tags', 'names', 'description'],
  vocab: 'videos_short_vocab',
}
const SHORT = 'videos_short_fts'
// Relevance tiers inside the short index: title, then title or tags, then any short field.
const SHORT_TIERS = [['name'], ['name', 'tags'], ['name', 'tags', 'names']]
const SHORT_COLUMNS = ['name', 'tags', 'names']
const BLOCK = 200
// Seconds between 1970 and 2000: the search key counts publication seconds from 2000 (see migration 0002).
const KEY_EPOCH = 946684800n

const SORTS: Record<string, Omit<ColumnSort, 'descending'>> = {
  name: { expr: 'v.name COLLATE NOCASE', index: 'videos_search_name' },
  duration: { expr: 'v.duration', index: 'videos_search_duration' },
  createdAt: { expr: 'v.created_at', index: 'videos_search_created' },
  originallyPublishedAt: { expr: 'coalesce(v.originally_published_at, v.published_at)', index: 'videos_search_originally' },
  views: { expr: 'v.views', index: 'videos_search_views' },
  likes: { expr: 'v.likes', index: 'videos_search_likes' },
  hot: { expr: 'v.search_hot', index: 'videos_search_hot' },
}

/** The search key of the first (or, with `last`, the last) possible video in a publication second. */
function keyAt(ms: number, last: boolean): bigint {
  const seconds = BigInt(Math.floor(ms / 1000)) - KEY_EPOCH
  return (seconds << 32n) + (last ? 0xffffffffn : 0n)
}

const facet = (prefix: string, values: (string | number)[]) => values.map((v) => ftsToken(prefix + hexToken(v)))
const anyOf = (tokens: string[]) => `{facets}: (${tokens.join(' OR ')})`

// A tag filter value as its facet token (see migration 0002, search_facets): "zt" and the tag without the same
// characters removed there. FTS5 then tokenizes and folds it exactly as it did the stored tags.
const tagToken = (tag: string) => ftsToken(`zt${tag.replace(/[ \-_.'’#]/g, '')}`)

/** Turns the filters of a query into FTS facets, blocked tokens, a key range and row conditions. */
export function videoRestrictions(q: VideosQuery): Restrictions {
  const all: string[] = []
  const none: string[] = []
  const post: Condition[] = []
  if (q.nsfw === 'false') {
    if (q.nsfwFlagsIncluded) post.push({ sql: 'v.nsfw = 0 OR (v.nsfw_flags & ?) <> 0', params: [q.nsfwFlagsIncluded] })
    else none.push('"zn1"')
  } else if (q.nsfw === 'true') {
    all.push('"zn1"')
    if (q.nsfwFlagsExcluded) post.push({ sql: '(v.nsfw_flags & ?) = 0', params: [q.nsfwFlagsExcluded] })
  } else if (q.nsfwFlagsExcluded) {
    post.push({ sql: '(v.nsfw_flags & ?) = 0', params: [q.nsfwFlagsExcluded] })
  }
  if (q.isLive === true) all.push('"zl1"')
  if (q.isLive === false) none.push('"zl1"')
  if (q.categoryOneOf.length) all.push(anyOf(facet('zc', q.categoryOneOf)))
  if (q.licenceOneOf.length) all.push(anyOf(facet('zi', q.licenceOneOf)))
  if (q.languageOneOf.length) {
    const known = q.languageOneOf.filter((l) => l !== '_unknown').map((l) => l.toLowerCase())
    all.push(anyOf([...facet('zg', known), ...(q.languageOneOf.includes('_unknown') ? ['"zgx"'] : [])]))
  }
  if (q.tagsOneOf.length) all.push(anyOf(q.tagsOneOf.map(tagToken)))
  for (const tag of q.tagsAllOf) all.push(tagToken(tag))
  if (q.host) all.push(facet('zh', [q.host])[0]!)
  const blockedAccounts = q.blockedAccounts.filter((h) => /^[^@\s]+@[^@\s]+$/.test(h))
  none.push(...facet('za', blockedAccounts), ...facet('zh', q.blockedHosts))
  if (q.uuids.length) post.push({ sql: `v.uuid IN (${q.uuids.map(() => '?').join(', ')})`, params: q.uuids })
  let minKey: bigint | null = null
  let maxKey: bigint | null = null
  if (q.startDate !== null) {
    minKey = keyAt(q.startDate, false)
    if (q.startDate % 1000 !== 0) post.push({ sql: 'v.published_at >= ?', params: [q.startDate] })
  }
  if (q.endDate !== null) {
    maxKey = keyAt(q.endDate, true)
    if (q.endDate % 1000 !== 999) post.push({ sql: 'v.published_at <= ?', params: [q.endDate] })
  }
  if (q.originallyPublishedStartDate !== null) post.push({ sql: 'v.originally_published_at >= ?', params: [q.originallyPublishedStartDate] })
  if (q.originallyPublishedEndDate !== null) post.push({ sql: 'v.originally_published_at <= ?', params: [q.originallyPublishedEndDate] })
  if (q.durationMin !== null) post.push({ sql: 'v.duration >= ?', params: [q.durationMin] })
  if (q.durationMax !== null) post.push({ sql: 'v.duration <= ?', params: [q.durationMax] })
  return {
    facets: all.length ? all.map((e) => (e.startsWith('{') ? e : `{facets}: ${e}`)).join(' AND ') : null,
    blocked: none.length ? `{facets}: (${none.join(' OR ')})` : null,
    minKey,
    maxKey,
    post,
  }
}

/**
 * The relevance tiers of a search, best first (see engine.ts and rank.ts): for each relaxation level, all its words
 * in the title, then in title or tags, then in any short field (short index), then anywhere (full index). A level
 * excludes what the previous level matched; the engine drops rows the full index already gave at that level.
 */
function rankedTiers(levels: TermGroup[][], r: Restrictions): Tier[] {
  const tiers: Tier[] = []
  for (const [k, level] of levels.entries()) {
    const prev = k > 0 ? levels[k - 1]! : null
    const notPrevShort = prev ? ` NOT (${allExpr(prev, SHORT_COLUMNS)})` : ''
    let anywhere = allExpr(level, VIDEO_SOURCE.textColumns)
    if (prev) anywhere = `(${anywhere}) NOT (${allExpr(prev, VIDEO_SOURCE.textColumns)})`
    const levelGuard = { fts: VIDEO_SOURCE.fts, expr: matchExpr(anywhere, r) }
    const shortGuard = { fts: SHORT, expr: matchExpr(`(${allExpr(level, SHORT_COLUMNS)})${notPrevShort}`, r) }
    for (const [i, cols] of SHORT_TIERS.entries()) {
      let e = `(${allExpr(level, cols)})`
      if (i > 0) e += ` NOT (${allExpr(level, SHORT_TIERS[i - 1]!)})`
      tiers.push({ fts: SHORT, expr: matchExpr(`(${e})${notPrevShort}`, r), guards: [levelGuard, shortGuard] })
    }
    tiers.push({ fts: VIDEO_SOURCE.fts, expr: matchExpr(`(${anywhere}) NOT (${allExpr(level, SHORT_COLUMNS)})`, r), guards: [levelGuard] })
  }
  return tiers
}

/** Sorted searches take matches level by level: all the words first, then fewer (see terms.ts). */
function sortBuckets(levels: TermGroup[][], r: Restrictions): FtsQuery[] {
  return levels.map((level, k) => {
    let e = allExpr(level, VIDEO_SOURCE.textColumns)
    if (k > 0) e = `(${e}) NOT (${allExpr(levels[k - 1]!, VIDEO_SOURCE.textColumns)})`
    return { fts: VIDEO_SOURCE.fts, expr: matchExpr(e, r) }
  })
}

function scoreVideos(db: Db, ids: number[], rq: RankQuery): Map<number, number> {
  const rows = prepared(db, `SELECT id, name, tags, search_names, language_id, views FROM videos WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as { id: number; name: string; tags: string; search_names: string; language_id: string | null; views: number }[]
  return new Map(rows.map((row) => [row.id, score({ title: row.name, tags: parseTags(row.tags), names: row.search_names, language: row.language_id, popularity: row.views }, rq)]))
}

function parseTags(json: string): string[] {
  try {
    const v = JSON.parse(json)
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []
  } catch {
    return []
  }
}

/** Searches videos: one page of results in the requested order, and the number of matches (exact up to MAX_TOTAL). */
export function searchVideos(db: Db, q: VideosQuery): ResultList<ApiVideo> {
  const r = videoRestrictions(q)
  const text = q.search ?? ''
  const id = parseIdentifier(text)
  // A URL is searched by the id it names: its other words (https, the host) would only add noise.
  let searchText = id.kind === 'uuid' && /^https?:/i.test(text.trim()) ? id.uuid : text
  // A channel or account handle (or URL) lists that channel's or account's videos.
  if (id.kind === 'handle') {
    searchText = ''
    r.post.push({
      sql: '(v.channel_host = ? AND v.channel_name = ?) OR (v.account_host = ? AND v.account_name = ?)',
      params: [id.host, id.name, id.host, id.name],
    })
  }
  const groups = termGroups(db, VIDEO_SOURCE, parseText(searchText))
  // A search that names an object wants that object; relaxing it to some of its fragments would only add noise.
  const required = groups.length === 0 ? null : requirements(db, VIDEO_SOURCE, groups)
  const levels = !required ? [] : id.kind === 'none' ? relaxationLevels(required) : [required.groups]
  const rankQuery: RankQuery = { groups, boostLanguages: new Set(q.boostLanguages.map((l) => l.toLowerCase())) }

  // The object a uuid, short uuid or watch URL names comes first, if it passes the filters.
  const exact: number[] = []
  if (id.kind === 'uuid') {
    const row = prepared(db, 'SELECT id, search_key AS key FROM videos WHERE uuid = ?', true).get(id.uuid) as { id: bigint; key: bigint } | undefined
    if (row && passes(db, VIDEO_SOURCE, Number(row.id), row.key, r)) exact.push(Number(row.id))
  }

  const split = pageAfterNamed(VIDEO_SOURCE, q.start, q.count, exact, r)
  const restWithoutExact = split.rest
  const { restStart, restLimit } = split
  let page: Hit[] = []
  if (q.start < split.window) {
    const descending = q.sort.startsWith('-')
    const column = q.sort.replace(/^-/, '')
    let rest: Hit[]
    if (levels.length === 0) {
      const all: FtsQuery = { fts: VIDEO_SOURCE.fts, expr: matchExpr(null, restWithoutExact) }
      const noFts = !r.facets && !r.blocked
      rest = (column === 'match' || column === 'publishedAt'
        ? keyOrderedIds(db, VIDEO_SOURCE, all, restWithoutExact, column === 'match' || descending, restStart, restLimit)
        : sortedIds(db, VIDEO_SOURCE, noFts ? null : all, restWithoutExact, { ...SORTS[column]!, descending }, restStart, restLimit)
      ).map((i) => ({ id: i, score: 0 }))
    } else if (column === 'match') {
      const hits = rankedHits(db, VIDEO_SOURCE, rankedTiers(levels, r), r, {
        need: split.window - exact.length,
        block: BLOCK,
        seen: new Set(exact),
        score: (ids) => scoreVideos(db, ids, rankQuery),
      })
      rest = hits.slice(restStart, restStart + restLimit)
    } else {
      const buckets = sortBuckets(levels, restWithoutExact)
      const ids = acrossBuckets(db, VIDEO_SOURCE, buckets, restWithoutExact, restStart, restLimit, (b, offset, limit) =>
        column === 'publishedAt'
          ? keyOrderedIds(db, VIDEO_SOURCE, b!, restWithoutExact, descending, offset, limit)
          : sortedIds(db, VIDEO_SOURCE, b, restWithoutExact, { ...SORTS[column]!, descending }, offset, limit),
      )
      const scores = scoreVideos(db, ids, rankQuery)
      rest = ids.map((i) => ({ id: i, score: scores.get(i) ?? 0 }))
    }
    page = [...split.head, ...rest].slice(0, q.count)
  }

  return { total: total(db, levels, r, exact), data: rows(db, page) }
}

/**
 * Matches of the whole search (the most relaxed level), plus a named object that does not match its words; exact
 * up to MAX_TOTAL, except with row conditions on many matches, where it is estimated (see matchCount).
 */
function total(db: Db, levels: TermGroup[][], r: Restrictions, exact: number[]): number {
  const last = levels.at(-1)
  const q: FtsQuery = { fts: VIDEO_SOURCE.fts, expr: matchExpr(last ? allExpr(last, VIDEO_SOURCE.textColumns) : null, r) }
  let n = !last && !r.facets && !r.blocked ? rowCount(db, r) : matchCount(db, VIDEO_SOURCE, q, r, MAX_TOTAL)
  for (const id of exact) {
    const key = (prepared(db, 'SELECT search_key AS key FROM videos WHERE id = ?', true).get(id) as { key: bigint }).key
    if (!matches(db, q, key)) n++
  }
  return Math.min(n, MAX_TOTAL)
}

// Without text, facets or blocks, the total is the table's size (kept by triggers) unless rows are filtered.
function rowCount(db: Db, r: Restrictions): number {
  if (r.post.length === 0 && r.minKey === null && r.maxKey === null) {
    return (prepared(db, "SELECT n FROM search_totals WHERE kind = 'videos'").get() as { n: number }).n
  }
  return matchCount(db, VIDEO_SOURCE, { fts: VIDEO_SOURCE.fts, expr: matchExpr(null, r) }, r, MAX_TOTAL)
}

function rows(db: Db, hits: Hit[]): ApiVideo[] {
  if (hits.length === 0) return []
  const found = prepared(db, `SELECT ${VIDEO_COLUMNS} FROM videos v WHERE v.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(hits.map((h) => h.id))) as VideoRow[]
  const byId = new Map(found.map((row) => [row.id, row]))
  return hits.flatMap((h) => {
    const row = byId.get(h.id)
    return row ? [formatVideo(row, h.score)] : []
  })
}

