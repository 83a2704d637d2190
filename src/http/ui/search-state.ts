// The state of a search page lives entirely in its URL, so a search can be shared and bookmarked. Parameter names
// are the API's (search, sort, nsfw, isLive, categoryOneOf, languageOneOf, tagsOneOf, host, startDate,
// durationMin, …) plus the few friendly ones of Sepia's own site (page, resultType, publishedDateRange,
// durationRange, and the filter panel's durations in minutes and publication years), so links and search-engine
// templates made for sepiasearch.org keep working here. What a state holds is defined in views/search-model.ts.
import {
  activeGroups,
  DURATION_RANGES,
  PUBLISHED_RANGES,
  type ResultType,
  type SearchState,
} from '../../../views/search-model.ts'

const RESULT_TYPES: readonly ResultType[] = ['videos', 'channels', 'playlists']

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

/** The query string as hono hands it over: every value of every key. */
export type RawQuery = Record<string, string[]>

/** Why a parameter the site itself defines was refused; the page explains each in the visitor's language. */
export type SiteInvalid = Record<string, string>

const first = (q: RawQuery, key: string) => (q[key] ?? []).map((s) => s.trim()).find((s) => s !== '') ?? ''
// Lists may come repeated (?tagsOneOf=a&tagsOneOf=b), PHP-style (tagsOneOf[]=a), or comma-separated as typed
// into the form.
const list = (q: RawQuery, key: string) => {
  const raw = [...(q[key] ?? []), ...(q[`${key}[]`] ?? [])]
  const values = raw.flatMap((s) => s.split(',')).map((s) => s.trim())
  return [...new Set(values.filter((s) => s !== ''))]
}
const isOneOf = <T extends string>(choices: readonly T[], value: string): value is T => (choices as readonly string[]).includes(value)

/** Reads the URL into a search state; values the site itself defines (page, ranges, minutes, years) are checked here. */
export function readSearchState(q: RawQuery): { state: SearchState; invalid: SiteInvalid } {
  const invalid: SiteInvalid = {}
  const resultTypeRaw = first(q, 'resultType')
  const resultType: ResultType = isOneOf(RESULT_TYPES, resultTypeRaw) ? resultTypeRaw : 'all'
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

  // A friendly range wins over explicit dates; without one (or with "custom") the dates apply, as typed into the
  // panel's date fields or written in links made for the API.
  let publishedDateRange = first(q, 'publishedDateRange')
  if (publishedDateRange === 'custom') publishedDateRange = ''
  if (publishedDateRange && !isOneOf(PUBLISHED_RANGES, publishedDateRange)) {
    invalid.publishedDateRange = `must be one of ${PUBLISHED_RANGES.join(', ')}`
    publishedDateRange = ''
  }
  let durationRange = first(q, 'durationRange')
  if (durationRange === 'custom') durationRange = ''
  if (durationRange && !isOneOf(DURATION_RANGES, durationRange)) {
    invalid.durationRange = `must be one of ${DURATION_RANGES.join(', ')}`
    durationRange = ''
  }

  // The panel asks for minutes and years, friendlier than the API's seconds and timestamps; present (even
  // empty, as a cleared field) they replace the API parameters.
  const minutes = (key: string, fallback: string) => {
    if (!(key in q)) return fallback
    const raw = first(q, key).replace(',', '.')
    if (raw === '') return ''
    const n = Number(raw)
    if (!/^\d{1,6}(\.\d+)?$/.test(raw) || !Number.isFinite(n)) {
      invalid[key] = 'must be a number of minutes'
      return fallback
    }
    return String(Math.round(n * 60))
  }
  const year = (key: string, fallback: string, monthDay: string) => {
    if (!(key in q)) return fallback
    const raw = first(q, key)
    if (raw === '') return ''
    if (!/^\d{4}$/.test(raw) || raw === '0000') {
      invalid[key] = 'must be a year such as 2015'
      return fallback
    }
    return `${raw}-${monthDay}`
  }

  const datesApply = publishedDateRange === ''
  const durationsApply = durationRange === ''
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
    originallyPublishedStartDate: year('originallyPublishedStartYear', first(q, 'originallyPublishedStartDate'), '01-01'),
    originallyPublishedEndDate: year('originallyPublishedEndYear', first(q, 'originallyPublishedEndDate'), '12-31'),
    durationRange,
    durationMin: durationsApply ? minutes('durationMinMinutes', first(q, 'durationMin')) : '',
    durationMax: durationsApply ? minutes('durationMaxMinutes', first(q, 'durationMax')) : '',
    categoryOneOf: list(q, 'categoryOneOf'),
    licenceOneOf: list(q, 'licenceOneOf'),
    languageOneOf: list(q, 'languageOneOf'),
    tagsOneOf: list(q, 'tagsOneOf'),
    tagsAllOf: list(q, 'tagsAllOf'),
    host: first(q, 'host'),
  }
  return { state, invalid }
}

/** How many filters are set, for the "Filters (n)" summary. */
export function countFilters(s: SearchState): number {
  return activeGroups(s).length
}

type ApiInput = Record<string, string | string[]>

function common(s: SearchState, start: number, count: number): ApiInput {
  const input: ApiInput = { start: String(start), count: String(count) }
  if (s.search) input.search = s.search
  if (s.host) input.host = s.host
  return input
}

// A bare date as the end of a range means "up to the end of that day", as the panel's date fields say.
const endOfDay = (date: string) => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59.999Z` : date)

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
    if (s.endDate) input.endDate = endOfDay(s.endDate)
  }
  if (s.originallyPublishedStartDate) input.originallyPublishedStartDate = s.originallyPublishedStartDate
  if (s.originallyPublishedEndDate) input.originallyPublishedEndDate = endOfDay(s.originallyPublishedEndDate)
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
