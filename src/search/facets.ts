// Facet tokens: how filterable values are written into the hidden `facets` column of each FTS index, so that a
// filter is an FTS5 list intersection instead of a row lookup per match. This table is the one definition: the
// index side (the `sepia_*_facets` SQL functions the index views call, see sql-functions.ts) and the query side
// (restrictions in videos.ts, channels.ts, playlists.ts) both build tokens with the functions below.
//
// A token is a two-letter prefix and a value. Values that could contain separators (hosts, handles, languages,
// tags) are hex-encoded, so that any value makes exactly one token; the tokenizer lower-cases the whole token, so
// the hex is lower case too. Text columns never hold such tokens: every text term is matched with a column
// filter that leaves `facets` out, so a title cannot pose as a facet nor a facet as a word.
import { hash } from 'node:crypto'
import { fold, words } from './text.ts'

/** The facet prefixes, one per filterable value. */
export const FACET = {
  /** In every row: lists everything when a search has neither words nor facets. */
  all: 'zz',
  nsfw: 'zn',
  live: 'zl',
  category: 'zc',
  licence: 'zi',
  language: 'zg',
  /** The host of the account (the origin instance). */
  host: 'zh',
  /** The account handle `name@host`. */
  account: 'za',
  /** The channel handle `name@host`. */
  channel: 'zk',
  tag: 'zt',
  /** A hash of the title's words: "the title is exactly these words" is one token. */
  exactTitle: 'ze',
  /** Publication year, month and day (UTC). */
  year: 'zy',
  month: 'zm',
  day: 'zd',
  /** Original publication year, month and day (UTC), when the video has one. */
  originalYear: 'zoy',
  originalMonth: 'zom',
  originalDay: 'zod',
  /** Duration thresholds reached (see DURATION_EDGES). */
  duration: 'zu',
} as const

/** An expression no row matches: a token of the `all` prefix that no row holds. */
export const NOTHING = `{facets}: "${FACET.all}0"`

/** The year, month and day prefixes of one date. */
export type DateFacets = { year: string; month: string; day: string }
/** Publication date. */
export const PUBLISHED: DateFacets = { year: FACET.year, month: FACET.month, day: FACET.day }
/** Original publication date. */
export const ORIGINALLY_PUBLISHED: DateFacets = { year: FACET.originalYear, month: FACET.originalMonth, day: FACET.originalDay }

/** A facet prefix. */
export type FacetName = keyof typeof FACET

/** The value written for "not set" (no category, no language...). */
export const UNSET = 'x'

/** Hex of the UTF-8 bytes of a value: one token whatever the value holds. */
export function hexToken(value: string | number): string {
  return Buffer.from(String(value), 'utf8').toString('hex')
}

/** The token of one value of a facet (null or '' means "not set"). */
export function facetToken(name: FacetName, value: string | number | null): string {
  const v = value === null || value === '' ? UNSET : hexToken(typeof value === 'string' ? value.toLowerCase() : value)
  return FACET[name] + v
}

/** A flag facet: `zn1` / `zn0`. */
export function flagToken(name: 'nsfw' | 'live', on: boolean): string {
  return FACET[name] + (on ? '1' : '0')
}

/**
 * A tag as its token. PeerTube compares tags case-insensitively; Sepia also ignores accents, spaces and common
 * punctuation, so "KDE Gear", "kde-gear" and "kdegear" are one tag.
 */
export function tagToken(tag: string): string {
  return FACET.tag + hexToken(fold(tag).replace(/[\s\-_.'’#]/g, ''))
}

/** Titles longer than this many words get no exact-title token: a search never has more words (text.ts). */
export const EXACT_TITLE_MAX_WORDS = 8

/** The exact-title token of a sequence of folded words (a title's, or a search's), or null when too long. */
export function exactTitleToken(folded: string[]): string | null {
  if (folded.length === 0 || folded.length > EXACT_TITLE_MAX_WORDS) return null
  return FACET.exactTitle + hash('sha256', folded.join(' '), 'hex').slice(0, 16)
}

/** The exact-title token of a title as stored. */
export function titleToken(title: string): string | null {
  return exactTitleToken(words(fold(title)))
}

/**
 * Duration thresholds (seconds): a video holds the token `zu<edge>` for every edge its duration reaches, so
 * "at least 10 minutes" is the one token `zu600` and "under 4 minutes" is NOT `zu240`. A bound between edges adds
 * a row check, which only ever rejects the videos between that bound and the nearest edge.
 */
export const DURATION_EDGES = [30, 60, 120, 240, 420, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800]

/** The duration tokens of a video: one per edge it reaches. */
export function durationTokens(seconds: number): string[] {
  return DURATION_EDGES.filter((e) => seconds >= e).map((e) => `${FACET.duration}${e}`)
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** The year, month and day tokens of a time (ms, UTC). */
export function dateTokens(ms: number, f: DateFacets = PUBLISHED): string[] {
  const d = new Date(ms)
  if (!Number.isFinite(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) return []
  const y = pad(d.getUTCFullYear(), 4)
  const m = pad(d.getUTCMonth() + 1, 2)
  return [`${f.year}${y}`, `${f.month}${y}${m}`, `${f.day}${y}${m}${pad(d.getUTCDate(), 2)}`]
}

const DAY = 86_400_000
// Date.UTC reads years 0-99 as 1900-1999; any year is any year here.
const utc = (year: number, month: number, day: number) => new Date(0).setUTCFullYear(year, month, day)
// A partial month at either end of a range is written as its days when it has at most this many, else as the
// month (and the rows of that month outside the range are left out by a row check).
const MAX_EDGE_DAYS = 10
// Past this many tokens (a range over centuries of bogus dates), a row check alone is cheaper than the OR.
const MAX_DATE_TOKENS = 64

/**
 * The year, month and day tokens whose union covers the whole days of [start, end] (ms, UTC), coarsest first, and
 * at each side whether they reach past those days (a partial month written as its month). Null when the range
 * needs too many tokens to be worth it.
 */
export function dateRangeTokens(start: number, end: number, f: DateFacets = PUBLISHED): { tokens: string[]; widerStart: boolean; widerEnd: boolean } | null {
  const none = { tokens: [], widerStart: false, widerEnd: false }
  if (!(start <= end)) return none
  const first = new Date(Math.floor(start / DAY) * DAY)
  const last = new Date(Math.floor(end / DAY) * DAY)
  const tokens: string[] = []
  let widerStart = false
  let widerEnd = false
  const ymd = (d: Date) => [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()] as const
  const dayToken = (d: Date) => dateTokens(d.getTime(), f)[2]
  const monthToken = (y: number, m: number) => `${f.month}${pad(y, 4)}${pad(m + 1, 2)}`
  const day = new Date(first)
  while (day <= last) {
    if (tokens.length > MAX_DATE_TOKENS) return null
    const [y, m, d] = ymd(day)
    const monthEnd = new Date(utc(y, m + 1, 1) - DAY)
    const yearEnd = new Date(utc(y + 1, 0, 1) - DAY)
    if (m === 0 && d === 1 && yearEnd <= last) {
      tokens.push(`${f.year}${pad(y, 4)}`)
      day.setTime(yearEnd.getTime() + DAY)
    } else if (d === 1 && monthEnd <= last) {
      tokens.push(monthToken(y, m))
      day.setTime(monthEnd.getTime() + DAY)
    } else {
      // A partial month: its days, or the whole month when that is many days.
      const until = monthEnd < last ? monthEnd : last
      const days = Math.round((until.getTime() - day.getTime()) / DAY) + 1
      if (days <= MAX_EDGE_DAYS) {
        for (let i = 0; i < days; i++) tokens.push(dayToken(new Date(day.getTime() + i * DAY))!)
      } else {
        tokens.push(monthToken(y, m))
        if (d !== 1) widerStart = true
        if (until < monthEnd) widerEnd = true
      }
      day.setTime(until.getTime() + DAY)
    }
  }
  if (tokens.length > MAX_DATE_TOKENS || tokens.some((t) => t === undefined)) return null
  return { tokens, widerStart, widerEnd }
}

const handle = (name: string, host: string) => `${name}@${host}`

function parseTags(json: string | null): string[] {
  try {
    const v = JSON.parse(json ?? '[]')
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []
  } catch {
    return []
  }
}

/** What a video row gives its facets (columns of `videos`). */
export type VideoFacetRow = {
  nsfw: number
  isLive: number
  categoryId: number | null
  licenceId: number | null
  languageId: string | null
  accountName: string
  accountHost: string
  channelName: string
  channelHost: string
  tags: string | null
  name: string
  publishedAt: number
  originallyPublishedAt: number | null
  duration: number
}

/** The facets column of a video (called by the index view through sepia_video_facets). */
export function videoFacets(v: VideoFacetRow): string {
  const tokens = [
    FACET.all,
    flagToken('nsfw', v.nsfw !== 0),
    flagToken('live', v.isLive !== 0),
    facetToken('category', v.categoryId),
    facetToken('licence', v.licenceId),
    facetToken('language', v.languageId),
    facetToken('host', v.accountHost),
    facetToken('account', handle(v.accountName, v.accountHost)),
    facetToken('channel', handle(v.channelName, v.channelHost)),
    ...new Set(parseTags(v.tags).map(tagToken)),
    titleToken(v.name),
    ...dateTokens(v.publishedAt),
    ...(v.originallyPublishedAt === null ? [] : dateTokens(v.originallyPublishedAt, ORIGINALLY_PUBLISHED)),
    ...durationTokens(v.duration),
  ]
  return tokens.filter((t) => t !== null).join(' ')
}

/** The facets column of a channel. */
export function channelFacets(host: string, name: string, ownerName: string, ownerHost: string, displayName: string): string {
  return [FACET.all, facetToken('host', host), facetToken('account', handle(ownerName, ownerHost)), facetToken('channel', handle(name, host)), titleToken(displayName)]
    .filter((t) => t !== null)
    .join(' ')
}

/** The facets column of a playlist. */
export function playlistFacets(ownerHost: string, ownerName: string, channelName: string | null, channelHost: string | null, displayName: string): string {
  return [
    FACET.all,
    facetToken('host', ownerHost),
    facetToken('account', handle(ownerName, ownerHost)),
    channelName && channelHost ? facetToken('channel', handle(channelName, channelHost)) : null,
    titleToken(displayName),
  ]
    .filter((t) => t !== null)
    .join(' ')
}
