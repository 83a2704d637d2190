// Validation of the three search routes' parameters, shared by the JSON API and the HTML site.
//
// Input is a plain object as read from a query string (values are strings or arrays of strings, from repeated
// keys or `key[]=`) or from a JSON body (PeerTube instances send numbers, booleans, arrays, and numbers as strings
// in places). Unknown keys are ignored. Rules, chosen to accept everything real clients send while answering
// nonsense with PeerTube's 400:
// * A scalar parameter given several times (`count=5&count=10`) uses the first value.
// * An array parameter accepts one value or many (`tagsOneOf=a`, `tagsOneOf=a&tagsOneOf=b`, `["a","b"]`).
// * `count` is 0..100 (default 20): more is a 400, as on PeerTube. `start` is an integer >= 0.
// * `sort`: a valid column, with or without `-`, is used. A well-formed but unknown column (`-trending`, `-best`,
//   `-comments`, `random`...) comes from a third-party client written for another PeerTube route: `trending` and
//   `best` fall back to `hot` (same direction), anything else to the default `-match`. Only a value that is not a
//   sort at all (not letters with an optional leading `-`, or not a string) is a 400.
// * `nsfw` defaults to `false` (hide sensitive videos unless asked), like an anonymous visitor of most instances.
// * Booleans are `true`/`false` (strings or JSON), dates ISO-8601 (`2024-05-01` or a full timestamp).
import * as v from 'valibot'
import { isUuid, uuidFromShort } from '../short-uuid.ts'
import { tagToken } from './facets.ts'

/** Sorts accepted by /api/v1/search/videos (contract §1.7). */
export const VIDEO_SORTS = ['match', 'name', 'duration', 'createdAt', 'publishedAt', 'originallyPublishedAt', 'views', 'likes', 'hot'] as const
/** Sorts accepted by /api/v1/search/video-channels and /video-playlists. */
export const CHANNEL_SORTS = ['match', 'displayName', 'createdAt'] as const
/** Playlists sort on the same columns as channels. */
export const PLAYLIST_SORTS = CHANNEL_SORTS

/** A video sort column, optionally descending (`-`). */
export type VideoSort = (typeof VIDEO_SORTS)[number] | `-${(typeof VIDEO_SORTS)[number]}`
/** A channel sort column, optionally descending. */
export type ChannelSort = (typeof CHANNEL_SORTS)[number] | `-${(typeof CHANNEL_SORTS)[number]}`
/** A playlist sort column, optionally descending. */
export type PlaylistSort = ChannelSort

/** What every search route takes. Arrays are empty when the parameter is absent (no filter). */
type CommonQuery = {
  /** The visitor's text, trimmed; null when absent or blank (list everything that passes the filters). */
  search: string | null
  start: number
  count: number
  /** Owner's host (the origin instance), lower-cased. */
  host: string | null
  /** `user@host` handles whose content is left out, lower-cased. */
  blockedAccounts: string[]
  /** Hosts whose content is left out, lower-cased. */
  blockedHosts: string[]
}

/** A validated /api/v1/search/videos query. */
export type VideosQuery = CommonQuery & {
  sort: VideoSort
  nsfw: 'true' | 'false' | 'both'
  nsfwFlagsIncluded: number | null
  nsfwFlagsExcluded: number | null
  isLive: boolean | null
  categoryOneOf: number[]
  licenceOneOf: number[]
  /** Language ids; `_unknown` stands for "no language set". */
  languageOneOf: string[]
  tagsOneOf: string[]
  tagsAllOf: string[]
  /** Full uuids, lower-cased (short uuids are expanded). */
  uuids: string[]
  /** Milliseconds since the epoch. */
  startDate: number | null
  endDate: number | null
  originallyPublishedStartDate: number | null
  originallyPublishedEndDate: number | null
  durationMin: number | null
  durationMax: number | null
  /** Languages ranked higher (never a filter). */
  boostLanguages: string[]
}

/** A validated /api/v1/search/video-channels query. */
export type ChannelsQuery = CommonQuery & {
  sort: ChannelSort
  /** Channel handles `name@host`, lower-cased, without a leading `@`. */
  handles: string[]
}

/** A validated /api/v1/search/video-playlists query. */
export type PlaylistsQuery = CommonQuery & {
  sort: PlaylistSort
  uuids: string[]
}

/** One rejected parameter, in the shape PeerTube (express-validator) reports it. */
export type InvalidParam = { type: 'field'; value: unknown; msg: string; path: string; location: 'query' | 'body' }

/** The outcome of parsing: a query, or the parameters that made it invalid. */
export type ParseResult<Q> = { ok: true; query: Q } | { ok: false; invalidParams: Record<string, InvalidParam> }

/** Where the parameters came from, reported back in errors as PeerTube does. */
export type ParamsLocation = 'query' | 'body'

/**
 * The most values an array parameter may hold as sent: block lists forwarded by PeerTube instances run into the
 * thousands; the body limit bounds them anyway. Distinct values are capped per parameter below.
 */
const MAX_ARRAY = 20_000
/** Distinct values per filter: more would be an attack or a bug, not a search; each is checked on the index. */
export const MAX_DISTINCT = { categoryOneOf: 100, licenceOneOf: 100, languageOneOf: 500, tagsOneOf: 32, tagsAllOf: 32, uuids: 100, handles: 100 }
// Languages to boost beyond these are ignored: a ranking hint, not a filter.
const MAX_BOOST_LANGUAGES = 20
const MAX_COUNT = 100
const DEFAULT_COUNT = 20

const first = (x: unknown): unknown => (Array.isArray(x) ? x[0] : x)
const toArray = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x])
const distinct = <T>(max: number, key: (x: T) => unknown = (x) => x) =>
  v.pipe(
    v.custom<T[]>(() => true),
    v.transform((a: T[]) => {
      const seen = new Set<unknown>()
      return a.filter((x) => !seen.has(key(x)) && seen.add(key(x)))
    }),
    v.maxLength(max, `Should have at most ${max} distinct values`),
  )

const intString = v.pipe(v.string(), v.trim(), v.regex(/^[+-]?\d{1,15}$/), v.transform(Number))
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(
    v.unknown(),
    v.transform(first),
    v.union([v.number(), intString]),
    v.integer(),
    v.minValue(min, `Should be at least ${min}`),
    v.maxValue(max, `Should be at most ${max}`),
  )
const boolean = v.pipe(
  v.unknown(),
  v.transform(first),
  v.union([v.boolean(), v.pipe(v.string(), v.trim(), v.picklist(['true', 'false']), v.transform((s) => s === 'true'))]),
)
const text = v.pipe(
  v.unknown(),
  v.transform(first),
  v.union([v.string(), v.pipe(v.number(), v.transform(String))]),
)
const stringArray = v.pipe(
  v.unknown(),
  v.transform(toArray),
  v.array(v.union([v.string(), v.pipe(v.number(), v.transform(String))])),
  v.maxLength(MAX_ARRAY, `Should have at most ${MAX_ARRAY} values`),
  v.transform((a) => a.map((s) => s.trim()).filter((s) => s !== '')),
)
const integerArray = (max: number) =>
  v.pipe(
    v.unknown(),
    v.transform(toArray),
    v.array(v.union([v.pipe(v.number(), v.integer()), intString])),
    v.maxLength(MAX_ARRAY, `Should have at most ${MAX_ARRAY} values`),
    distinct<number>(max),
  )
// Tags are compared as their facet tokens (case, accents and punctuation aside): "KDE Gear" and "kde-gear" are one.
const tagArray = (max: number) => v.pipe(stringArray, distinct<string>(max, tagToken))
const lowerStrings = v.pipe(stringArray, v.transform((a) => [...new Set(a.map((s) => s.toLowerCase()))]))
const host = v.pipe(
  text,
  v.trim(),
  v.toLowerCase(),
  v.regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, 'Should be a host name'),
)
// ISO-8601 as PeerTube's validator (isISO8601) accepts it: a date, optionally with a time and a zone.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i
const date = v.pipe(
  text,
  v.trim(),
  v.regex(ISO_DATE, 'Should be an ISO-8601 date'),
  v.transform((s) => {
    // A bare date or a time without a zone is read as UTC, so the same URL means the same thing everywhere.
    const withZone = /T|\s/.test(s) && !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(s) ? `${s}Z` : s
    return Date.parse(withZone.replace(' ', 'T'))
  }),
  v.check((n) => Number.isFinite(n), 'Should be a valid date'),
)
const uuidArray = v.pipe(
  stringArray,
  v.transform((a) => a.map((s) => (isUuid(s) ? s.toLowerCase() : uuidFromShort(s)))),
  v.check((a) => a.every((u) => u !== null), 'Should be uuids or short uuids'),
  v.transform((a) => a as string[]),
  distinct<string>(MAX_DISTINCT.uuids),
)
const nsfw = v.pipe(
  v.unknown(),
  v.transform(first),
  v.union([
    v.pipe(v.boolean(), v.transform((b) => (b ? 'true' : 'false'))),
    v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(['true', 'false', 'both'])),
  ]),
)
const sortText = v.pipe(text, v.trim(), v.regex(/^-?[A-Za-z]{1,40}$/, 'Invalid value'))

// Reads one parameter with a schema; records a PeerTube-style error and returns undefined when invalid.
type Reader = <T>(key: string, schema: v.GenericSchema<unknown, T>, fallback: T) => T

function reader(input: Record<string, unknown>, location: ParamsLocation, errors: Record<string, InvalidParam>): Reader {
  return (key, schema, fallback) => {
    const raw = readKey(input, key)
    if (raw === undefined || raw === null) return fallback
    // An empty query-string value (`?host=`) is what forms send for "no filter".
    if (raw === '' || (Array.isArray(raw) && raw.length === 0)) return fallback
    const result = v.safeParse(schema, raw)
    if (result.success) return result.output
    const issue = result.issues[0]
    errors[key] = { type: 'field', value: raw, msg: issue.message.startsWith('Invalid ') ? 'Invalid value' : issue.message, path: key, location }
    return fallback
  }
}

// `key[]` is how PHP-style clients (and SearXNG) write arrays; both spellings are one parameter.
function readKey(input: Record<string, unknown>, key: string): unknown {
  const plain = Object.hasOwn(input, key) ? input[key] : undefined
  const bracketed = Object.hasOwn(input, `${key}[]`) ? input[`${key}[]`] : undefined
  if (plain === undefined) return bracketed
  if (bracketed === undefined) return plain
  return [...toArray(plain), ...toArray(bracketed)]
}

function readSort<S extends string>(read: Reader, columns: readonly string[], fallback: S): S {
  const raw = read('sort', sortText, fallback as string)
  const column = raw.replace(/^-/, '')
  const descending = raw.startsWith('-')
  const known = columns.find((c) => c.toLowerCase() === column.toLowerCase())
  if (known) return `${descending ? '-' : ''}${known}` as S
  if (columns.includes('hot') && /^(trending|best)$/i.test(column)) return `${descending ? '-' : ''}hot` as S
  return fallback
}

function readCommon(read: Reader): CommonQuery {
  const search = read('search', text, '').trim()
  return {
    search: search === '' ? null : search,
    start: read('start', integer(0), 0),
    count: read('count', integer(0, MAX_COUNT), DEFAULT_COUNT),
    host: read('host', host, null as string | null),
    blockedAccounts: read('blockedAccounts', lowerStrings, [] as string[]),
    blockedHosts: read('blockedHosts', lowerStrings, [] as string[]),
  }
}

function finish<Q>(query: Q, errors: Record<string, InvalidParam>): ParseResult<Q> {
  return Object.keys(errors).length === 0 ? { ok: true, query } : { ok: false, invalidParams: errors }
}

/** Validates the parameters of /api/v1/search/videos. */
export function parseVideosParams(input: Record<string, unknown>, location: ParamsLocation = 'query'): ParseResult<VideosQuery> {
  const errors: Record<string, InvalidParam> = {}
  const read = reader(input, location, errors)
  const query: VideosQuery = {
    ...readCommon(read),
    sort: readSort<VideoSort>(read, VIDEO_SORTS, '-match'),
    nsfw: read('nsfw', nsfw, 'false' as 'true' | 'false' | 'both'),
    nsfwFlagsIncluded: read('nsfwFlagsIncluded', integer(0, 2 ** 30), null as number | null),
    nsfwFlagsExcluded: read('nsfwFlagsExcluded', integer(0, 2 ** 30), null as number | null),
    isLive: read('isLive', boolean, null as boolean | null),
    categoryOneOf: read('categoryOneOf', integerArray(MAX_DISTINCT.categoryOneOf), [] as number[]),
    licenceOneOf: read('licenceOneOf', integerArray(MAX_DISTINCT.licenceOneOf), [] as number[]),
    languageOneOf: read('languageOneOf', v.pipe(stringArray, distinct<string>(MAX_DISTINCT.languageOneOf, (l) => l.toLowerCase())), [] as string[]),
    tagsOneOf: read('tagsOneOf', tagArray(MAX_DISTINCT.tagsOneOf), [] as string[]),
    tagsAllOf: read('tagsAllOf', tagArray(MAX_DISTINCT.tagsAllOf), [] as string[]),
    uuids: read('uuids', uuidArray, [] as string[]),
    startDate: read('startDate', date, null as number | null),
    endDate: read('endDate', date, null as number | null),
    originallyPublishedStartDate: read('originallyPublishedStartDate', date, null as number | null),
    originallyPublishedEndDate: read('originallyPublishedEndDate', date, null as number | null),
    durationMin: read('durationMin', integer(0), null as number | null),
    durationMax: read('durationMax', integer(0), null as number | null),
    boostLanguages: read('boostLanguages', lowerStrings, [] as string[]).slice(0, MAX_BOOST_LANGUAGES),
  }
  return finish(query, errors)
}

/** Validates the parameters of /api/v1/search/video-channels. */
export function parseChannelsParams(input: Record<string, unknown>, location: ParamsLocation = 'query'): ParseResult<ChannelsQuery> {
  const errors: Record<string, InvalidParam> = {}
  const read = reader(input, location, errors)
  const common = readCommon(read)
  const query: ChannelsQuery = {
    ...common,
    // PeerTube instances strip one leading "@" before forwarding; do the same for direct clients.
    search: common.search?.replace(/^@/, '').trim() || null,
    sort: readSort<ChannelSort>(read, CHANNEL_SORTS, '-match'),
    handles: read('handles', v.pipe(lowerStrings, v.transform((a) => [...new Set(a.map((h) => h.replace(/^@/, '')))]), v.maxLength(MAX_DISTINCT.handles, `Should have at most ${MAX_DISTINCT.handles} distinct values`)), [] as string[]),
  }
  return finish(query, errors)
}

/** Validates the parameters of /api/v1/search/video-playlists. */
export function parsePlaylistsParams(input: Record<string, unknown>, location: ParamsLocation = 'query'): ParseResult<PlaylistsQuery> {
  const errors: Record<string, InvalidParam> = {}
  const read = reader(input, location, errors)
  const query: PlaylistsQuery = {
    ...readCommon(read),
    sort: readSort<PlaylistSort>(read, PLAYLIST_SORTS, '-match'),
    uuids: read('uuids', uuidArray, [] as string[]),
  }
  return finish(query, errors)
}
