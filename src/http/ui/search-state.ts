// The state of a search page lives entirely in its URL, so a search can be shared and bookmarked. Parameter names
// are the API's (search, sort, nsfw, isLive, categoryOneOf, languageOneOf, tagsOneOf, host, startDate,
// durationMin, …) plus the few friendly ones of Sepia's own site (page, resultType, publishedDateRange,
// durationRange), so links and search-engine templates made for sepiasearch.org keep working here.

/** Which results a page shows. */
export type ResultType = 'all' | 'videos' | 'channels' | 'playlists'
const RESULT_TYPES: readonly ResultType[] = ['videos', 'channels', 'playlists']

/** Friendly publication-date choices, mapped onto startDate. */
export const PUBLISHED_RANGES = ['today', 'last_7days', 'last_30days', 'last_365days'] as const
/** Friendly duration choices, mapped onto durationMin / durationMax. */
export const DURATION_RANGES = ['short', 'medium', 'long'] as const
/** The sorts the site offers; the API accepts more, and any of them in the URL is passed through. */
export const VIDEO_SORTS = ['-match', '-publishedAt', 'publishedAt', '-views'] as const
/** The sensitive-content choices: hidden (Sepia's default), shown alongside the rest, or alone. */
export const NSFW_CHOICES = ['false', 'both', 'true'] as const

const DAY = 86_400_000
const RANGE_MS: Record<(typeof PUBLISHED_RANGES)[number], number> = {
  today: DAY,
  last_7days: 7 * DAY,
  last_30days: 30 * DAY,
  last_365days: 365 * DAY,
}
// The same boundaries as PeerTube's own search filters: short is under 4 minutes, long over 10.
const DURATION_BOUNDS: Record<(typeof DURATION_RANGES)[number], { min?: number; max?: number }> = {
  short: { max: 4 * 60 },
  medium: { min: 4 * 60, max: 10 * 60 },
  long: { min: 10 * 60 },
}

/** Results per page on the site. */
export const PAGE_SIZE = 20
/** The deepest page the site offers: nobody reads further, and deep offsets cost the database. */
export const MAX_PAGE = 50
/** Channels and playlists shown above the videos on an "all results" page. */
export const SIDE_RESULTS = 3

/** A search as the URL describes it, after normalisation. */
export type SearchState = {
  search: string
  resultType: ResultType
  page: number
  sort: string
  nsfw: string
  isLive: string
  /** A friendly range, or '' when none is chosen (then startDate/endDate, if any, apply). */
  publishedDateRange: string
  startDate: string
  endDate: string
  originallyPublishedStartDate: string
  originallyPublishedEndDate: string
  /** A friendly range, or '' when none is chosen (then durationMin/durationMax, if any, apply). */
  durationRange: string
  durationMin: string
  durationMax: string
  categoryOneOf: string[]
  licenceOneOf: string[]
  languageOneOf: string[]
  tagsOneOf: string[]
  tagsAllOf: string[]
  host: string
}

/** The query string as hono hands it over: every value of every key. */
export type RawQuery = Record<string, string[]>

const first = (q: RawQuery, key: string) => (q[key] ?? []).map((s) => s.trim()).find((s) => s !== '') ?? ''
// Lists may come repeated (?tagsOneOf=a&tagsOneOf=b), PHP-style (tagsOneOf[]=a), or comma-separated as typed
// into the form.
const list = (q: RawQuery, key: string) => {
  const raw = [...(q[key] ?? []), ...(q[`${key}[]`] ?? [])]
  const values = raw.flatMap((s) => s.split(',')).map((s) => s.trim())
  return [...new Set(values.filter((s) => s !== ''))]
}

/** Reads the URL into a search state; values the site itself defines (page, ranges) are checked here. */
export function readSearchState(q: RawQuery): { state: SearchState; invalid: Record<string, string> } {
  const invalid: Record<string, string> = {}
  const resultTypeRaw = first(q, 'resultType')
  const resultType: ResultType = (RESULT_TYPES as readonly string[]).includes(resultTypeRaw)
    ? (resultTypeRaw as ResultType)
    : 'all'
  if (resultTypeRaw && resultType === 'all') invalid.resultType = 'must be one of videos, channels, playlists'

  const pageRaw = first(q, 'page')
  let page = 1
  if (pageRaw) {
    page = Number(pageRaw)
    if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
      invalid.page = `must be a whole number between 1 and ${MAX_PAGE}`
      page = 1
    }
  }

  // A friendly range replaces explicit dates, and an empty one (the form's "any date") clears them; explicit
  // dates apply when no range key is present, as in links made for the API, or with the value "custom".
  let publishedDateRange = first(q, 'publishedDateRange')
  const datesApply = !('publishedDateRange' in q) || publishedDateRange === 'custom'
  if (publishedDateRange === 'custom') publishedDateRange = ''
  if (publishedDateRange && !(PUBLISHED_RANGES as readonly string[]).includes(publishedDateRange)) {
    invalid.publishedDateRange = `must be one of ${PUBLISHED_RANGES.join(', ')}`
    publishedDateRange = ''
  }
  let durationRange = first(q, 'durationRange')
  const durationsApply = !('durationRange' in q) || durationRange === 'custom'
  if (durationRange === 'custom') durationRange = ''
  if (durationRange && !(DURATION_RANGES as readonly string[]).includes(durationRange)) {
    invalid.durationRange = `must be one of ${DURATION_RANGES.join(', ')}`
    durationRange = ''
  }

  const state: SearchState = {
    search: first(q, 'search'),
    resultType,
    page,
    sort: first(q, 'sort'),
    nsfw: first(q, 'nsfw'),
    isLive: first(q, 'isLive'),
    publishedDateRange,
    startDate: datesApply ? first(q, 'startDate') : '',
    endDate: datesApply ? first(q, 'endDate') : '',
    originallyPublishedStartDate: first(q, 'originallyPublishedStartDate'),
    originallyPublishedEndDate: first(q, 'originallyPublishedEndDate'),
    durationRange,
    durationMin: durationsApply ? first(q, 'durationMin') : '',
    durationMax: durationsApply ? first(q, 'durationMax') : '',
    categoryOneOf: list(q, 'categoryOneOf'),
    licenceOneOf: list(q, 'licenceOneOf'),
    languageOneOf: list(q, 'languageOneOf'),
    tagsOneOf: list(q, 'tagsOneOf'),
    tagsAllOf: list(q, 'tagsAllOf'),
    host: first(q, 'host'),
  }
  return { state, invalid }
}

/** Whether a search asks for anything at all (the results page without it shows a prompt instead). */
export function hasQuery(s: SearchState): boolean {
  return s.search !== '' || countVideoFilters(s) > 0 || s.host !== ''
}

/** How many filters that only videos have are set; channels and playlists cannot honour them. */
export function countVideoFilters(s: SearchState): number {
  return [
    s.isLive,
    s.publishedDateRange || s.startDate || s.endDate,
    s.originallyPublishedStartDate || s.originallyPublishedEndDate,
    s.durationRange || s.durationMin || s.durationMax,
    s.categoryOneOf.length > 0,
    s.licenceOneOf.length > 0,
    s.languageOneOf.length > 0,
    s.tagsOneOf.length > 0,
    s.tagsAllOf.length > 0,
  ].filter(Boolean).length
}

/** How many filters are set, for the "Filters (n)" summary. */
export function countFilters(s: SearchState): number {
  return countVideoFilters(s) + (s.host ? 1 : 0) + (s.nsfw !== '' && s.nsfw !== 'false' ? 1 : 0)
}

type ApiInput = Record<string, string | string[]>

function common(s: SearchState, start: number, count: number): ApiInput {
  const input: ApiInput = { start: String(start), count: String(count) }
  if (s.search) input.search = s.search
  if (s.host) input.host = s.host
  return input
}

/** The API parameters of the video search a page runs; `boostLanguages` come from the browser. */
export function videoSearchInput(s: SearchState, now: number, boostLanguages: string[]): ApiInput {
  const input = common(s, (s.page - 1) * PAGE_SIZE, PAGE_SIZE)
  if (s.sort) input.sort = s.sort
  input.nsfw = s.nsfw || 'false'
  if (s.isLive) input.isLive = s.isLive
  if (s.publishedDateRange) {
    const range = s.publishedDateRange as (typeof PUBLISHED_RANGES)[number]
    input.startDate = new Date(now - RANGE_MS[range]).toISOString()
  } else {
    if (s.startDate) input.startDate = s.startDate
    if (s.endDate) input.endDate = s.endDate
  }
  if (s.originallyPublishedStartDate) input.originallyPublishedStartDate = s.originallyPublishedStartDate
  if (s.originallyPublishedEndDate) input.originallyPublishedEndDate = s.originallyPublishedEndDate
  if (s.durationRange) {
    const bounds = DURATION_BOUNDS[s.durationRange as (typeof DURATION_RANGES)[number]]
    if (bounds.min !== undefined) input.durationMin = String(bounds.min)
    if (bounds.max !== undefined) input.durationMax = String(bounds.max)
  } else {
    if (s.durationMin) input.durationMin = s.durationMin
    if (s.durationMax) input.durationMax = s.durationMax
  }
  for (const key of ['categoryOneOf', 'licenceOneOf', 'languageOneOf', 'tagsOneOf', 'tagsAllOf'] as const) {
    if (s[key].length > 0) input[key] = s[key]
  }
  if (boostLanguages.length > 0) input.boostLanguages = boostLanguages
  return input
}

// Channels and playlists sort by match, name or creation date: the video sorts map onto their nearest meaning.
const ACTOR_SORTS: Record<string, string> = {
  '-publishedAt': '-createdAt',
  publishedAt: 'createdAt',
  '-createdAt': '-createdAt',
  createdAt: 'createdAt',
  displayName: 'displayName',
  '-displayName': '-displayName',
  name: 'displayName',
  '-name': '-displayName',
}

/** The API parameters of a channel or playlist search; on an "all" page only the first few are wanted. */
export function actorSearchInput(s: SearchState): ApiInput {
  const side = s.resultType === 'all'
  const input = side ? common(s, 0, SIDE_RESULTS) : common(s, (s.page - 1) * PAGE_SIZE, PAGE_SIZE)
  input.sort = ACTOR_SORTS[s.sort] ?? '-match'
  return input
}

/** The URL parameters of a state, defaults left out, in a stable order; `overrides` change a few first. */
export function stateParams(s: SearchState, overrides: Partial<SearchState> = {}): [string, string][] {
  const st = { ...s, ...overrides }
  const out: [string, string][] = []
  const put = (key: string, value: string) => {
    if (value !== '') out.push([key, value])
  }
  put('search', st.search)
  if (st.resultType !== 'all') put('resultType', st.resultType)
  put('sort', st.sort)
  put('nsfw', st.nsfw)
  put('isLive', st.isLive)
  if (st.publishedDateRange) {
    put('publishedDateRange', st.publishedDateRange)
  } else {
    put('startDate', st.startDate)
    put('endDate', st.endDate)
  }
  put('originallyPublishedStartDate', st.originallyPublishedStartDate)
  put('originallyPublishedEndDate', st.originallyPublishedEndDate)
  if (st.durationRange) {
    put('durationRange', st.durationRange)
  } else {
    put('durationMin', st.durationMin)
    put('durationMax', st.durationMax)
  }
  for (const key of ['categoryOneOf', 'licenceOneOf', 'languageOneOf', 'tagsOneOf', 'tagsAllOf'] as const) {
    for (const v of st[key]) put(key, v)
  }
  put('host', st.host)
  if (st.page > 1) put('page', String(st.page))
  return out
}

/** A state with nothing but the search text: what the reset control leads to. */
export function resetState(s: SearchState): SearchState {
  return readSearchState({ search: [s.search], resultType: s.resultType === 'all' ? [] : [s.resultType] }).state
}
