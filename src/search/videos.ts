// /api/v1/search/videos: what a video is to the engine, its filters as restrictions, and its results.
import type { Db } from '../db/open.ts'
import { prepared } from '../db/prepared.ts'
import type { Kind, Restrictions } from './engine.ts'
import { DURATION_EDGES, FACET, NOTHING, ORIGINALLY_PUBLISHED, PUBLISHED, dateRangeTokens, facetToken, flagToken, tagToken, type DateFacets } from './facets.ts'
import { VIDEO_COLUMNS, formatVideo } from './format.ts'
import { parseIdentifier } from './identifiers.ts'
import type { VideosQuery } from './params.ts'
import { anyOf, blocks, build, oneOf, restrictionsBuilder, type RestrictionsBuilder } from './restrictions.ts'
import { inHitOrder, searchKind, type KindQuery } from './search.ts'
import type { ApiVideo, ResultList } from './types.ts'

const SHORT = 'videos_short_fts'
const DAY = 86_400_000

/** Videos: two indexes, the short fields (title, tags, channel and account names) and everything. */
export const VIDEOS: Kind = {
  table: 'videos',
  alias: 'v',
  fts: 'videos_fts',
  textColumns: ['name', 'tags', 'names', 'description'],
  fields: [
    { columns: ['name'], fts: SHORT },
    { columns: ['name', 'tags'], fts: SHORT },
    { columns: ['name', 'tags', 'names'], fts: SHORT },
    { columns: ['name', 'tags', 'names', 'description'], fts: 'videos_fts' },
  ],
  title: { fts: SHORT, column: 'name' },
  totalKey: 'videos',
  sorts: {
    name: { expr: 'v.name COLLATE NOCASE', index: 'videos_search_name' },
    duration: { expr: 'v.duration', index: 'videos_search_duration' },
    createdAt: { expr: 'v.created_at', index: 'videos_search_created' },
    publishedAt: { expr: 'v.published_at', index: 'videos_search_published' },
    originallyPublishedAt: { expr: 'coalesce(v.originally_published_at, v.published_at)', index: 'videos_search_originally' },
    // The static rank (rank.ts) grows with views and likes, and with the publication date, which "hot" weighs most.
    views: { expr: 'v.views', index: 'videos_search_views', followsRank: true },
    likes: { expr: 'v.likes', index: 'videos_search_likes', followsRank: true },
    hot: { expr: 'v.search_hot', index: 'videos_search_hot', followsRank: true },
  },
  newest: { expr: 'v.published_at', index: 'videos_search_published' },
  languages: true,
}

/** Turns the filters of a query into facets, exclusions and row conditions. */
export function videoRestrictions(db: Db, q: VideosQuery): Restrictions {
  const b = restrictionsBuilder()
  if (q.nsfw === 'false') {
    if (q.nsfwFlagsIncluded) b.post.push({ sql: 'v.nsfw = 0 OR (v.nsfw_flags & ?) <> 0', params: [q.nsfwFlagsIncluded] })
    else b.none.push(flagToken('nsfw', true))
  } else if (q.nsfw === 'true') {
    b.all.push(anyOf([flagToken('nsfw', true)]))
    if (q.nsfwFlagsExcluded) b.post.push({ sql: '(v.nsfw_flags & ?) = 0', params: [q.nsfwFlagsExcluded] })
  } else if (q.nsfwFlagsExcluded) {
    b.post.push({ sql: '(v.nsfw_flags & ?) = 0', params: [q.nsfwFlagsExcluded] })
  }
  if (q.isLive === true) b.all.push(anyOf([flagToken('live', true)]))
  if (q.isLive === false) b.none.push(flagToken('live', true))
  const among = (column: string) => (values: unknown[]) => ({ sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] })
  if (q.categoryOneOf.length) oneOf(db, VIDEOS.fts, b, q.categoryOneOf.map((c) => facetToken('category', c)), q.categoryOneOf, among('v.category_id'))
  if (q.licenceOneOf.length) oneOf(db, VIDEOS.fts, b, q.licenceOneOf.map((c) => facetToken('licence', c)), q.licenceOneOf, among('v.licence_id'))
  if (q.languageOneOf.length) {
    const languages = q.languageOneOf.map((l) => l.toLowerCase())
    oneOf(db, VIDEOS.fts, b, languages.map((l) => facetToken('language', l === '_unknown' ? null : l)), languages, (held) => ({
      sql: `lower(v.language_id) IN (SELECT value FROM json_each(?))${held.includes('_unknown') ? " OR coalesce(v.language_id, '') = ''" : ''}`,
      params: [JSON.stringify(held)],
    }))
  }
  if (q.tagsOneOf.length) b.all.push(anyOf(q.tagsOneOf.map(tagToken)))
  for (const tag of q.tagsAllOf) b.all.push(anyOf([tagToken(tag)]))
  if (q.host) b.all.push(anyOf([facetToken('host', q.host)]))
  blocks(db, b, { name: 'v.account_name', host: 'v.account_host' }, q.blockedAccounts, q.blockedHosts)
  // A handful of named videos: their keys are probed, not the whole index walked.
  if (q.uuids.length) b.only = prepared(db, 'SELECT search_key AS k FROM videos WHERE uuid IN (SELECT value FROM json_each(?))').all(JSON.stringify(q.uuids)).map((r) => (r as { k: number }).k)
  if (q.startDate !== null || q.endDate !== null) datesBetween(db, b, 'published_at', PUBLISHED, q.startDate, q.endDate)
  if (q.originallyPublishedStartDate !== null || q.originallyPublishedEndDate !== null) {
    datesBetween(db, b, 'originally_published_at', ORIGINALLY_PUBLISHED, q.originallyPublishedStartDate, q.originallyPublishedEndDate)
  }
  if (q.durationMin !== null || q.durationMax !== null) durationBetween(b, q.durationMin ?? 0, q.durationMax ?? Infinity)
  return build(b)
}

// A date range is clamped to the dates the index holds (any valid date works, however far), then written as the
// year, month and day tokens covering its days, with a row check only where a bound falls inside a day or inside a
// month written whole.
function datesBetween(db: Db, b: RestrictionsBuilder, column: 'published_at' | 'originally_published_at', f: DateFacets, start: number | null, end: number | null): void {
  const bounds = prepared(db, `SELECT (SELECT min(${column}) FROM videos WHERE ${column} IS NOT NULL) AS lo,
    (SELECT max(${column}) FROM videos WHERE ${column} IS NOT NULL) AS hi`).get() as { lo: number | null; hi: number | null }
  if (bounds.lo === null || bounds.hi === null) {
    b.all.push(NOTHING)
    return
  }
  const from = Math.max(start ?? bounds.lo, bounds.lo)
  const to = Math.min(end ?? bounds.hi, bounds.hi)
  const cover = dateRangeTokens(from, to, f)
  if (cover && cover.tokens.length === 0) {
    b.all.push(NOTHING)
    return
  }
  if (cover) b.all.push(anyOf(cover.tokens))
  // A bound outside the index needs no check: no row lies beyond it.
  if (start !== null && start > bounds.lo && (!cover || cover.widerStart || start % DAY !== 0)) b.post.push({ sql: `v.${column} >= ?`, params: [start] })
  if (end !== null && end < bounds.hi && (!cover || cover.widerEnd || (end + 1) % DAY !== 0)) b.post.push({ sql: `v.${column} <= ?`, params: [end] })
}

// A duration range: the threshold the minimum reaches, NOT the threshold past the maximum; a row check where a
// bound is not a threshold.
function durationBetween(b: RestrictionsBuilder, min: number, max: number): void {
  if (min > max) {
    b.all.push(NOTHING)
    return
  }
  const below = DURATION_EDGES.filter((e) => e <= min).at(-1)
  const above = DURATION_EDGES.find((e) => e > max)
  if (below !== undefined) b.all.push(anyOf([`${FACET.duration}${below}`]))
  if (above !== undefined) b.none.push(`${FACET.duration}${above}`)
  if (min > 0 && below !== min) b.post.push({ sql: 'v.duration >= ?', params: [min] })
  if (max !== Infinity && above !== max + 1) b.post.push({ sql: 'v.duration <= ?', params: [max] })
}

/** A video query as the engine's input: restrictions, named objects, boost. */
export function videoSearch(db: Db, q: VideosQuery): KindQuery {
  const r = videoRestrictions(db, q)
  const text = q.search ?? ''
  const id = parseIdentifier(text)
  const named: { id: number; key: number }[] = []
  // A URL is searched by the id it names: its other words (https, the host) would only add noise.
  let words: string | null = id.kind === 'uuid' && /^https?:/i.test(text.trim()) ? id.uuid : q.search
  if (id.kind === 'uuid') {
    const row = prepared(db, 'SELECT id, search_key AS key FROM videos WHERE uuid = ?').get(id.uuid) as { id: number; key: number } | undefined
    if (row) named.push(row)
  }
  // A channel or account handle (or URL) lists that channel's or account's videos.
  if (id.kind === 'handle') {
    words = null
    const handle = `${id.name}@${id.host}`
    const owner = anyOf([facetToken('account', handle), facetToken('channel', handle)])
    r.facets = r.facets ? `(${r.facets}) AND ${owner}` : owner
  }
  const boost = q.boostLanguages.length ? anyOf(q.boostLanguages.map((l) => facetToken('language', l))) : null
  return { text: words, identifier: id.kind !== 'none', named, start: q.start, count: q.count, sort: q.sort, restrictions: r, boost }
}

/** Searches videos: one page of results in the requested order, and the number of matches (exact up to MAX_TOTAL). */
export function searchVideos(db: Db, q: VideosQuery): ResultList<ApiVideo> {
  const { hits, total } = searchKind(db, VIDEOS, videoSearch(db, q))
  return { total, data: inHitOrder(db, `SELECT ${VIDEO_COLUMNS} FROM videos v WHERE v.id IN`, hits, formatVideo) }
}
