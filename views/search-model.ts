// The vocabulary of a search page, shared by the server (which reads it from the URL and searches) and the views
// (which show it): what a search state holds, the choices the site offers, and what each active filter is.
// Pure data and functions, so the views depend on nothing of the HTTP layer.

/** Which results a page shows. */
export type ResultType = 'all' | 'videos' | 'channels' | 'playlists'

/** Friendly publication-date choices, mapped onto startDate. */
export const PUBLISHED_RANGES = ['today', 'last_7days', 'last_30days', 'last_365days'] as const
/** Friendly duration choices, mapped onto durationMin / durationMax. */
export const DURATION_RANGES = ['short', 'medium', 'long'] as const
/** The sensitive-content choices: hidden (Sepia's default), shown alongside the rest, or alone. */
export const NSFW_CHOICES = ['false', 'both', 'true'] as const

/** The sorts the site offers for videos, best match ('') first; the API accepts more, and any of them works in a URL. */
export const VIDEO_SORT_CHOICES = ['', '-publishedAt', 'publishedAt', '-views', '-likes', '-hot', '-duration', 'duration'] as const
/**
 * The sorts offered for channels and playlists, written as video sorts so that one `sort` parameter means the
 * nearest thing on every tab (newest video ↔ newest channel, title ↔ name).
 */
export const ACTOR_SORT_CHOICES = ['', '-publishedAt', 'publishedAt', 'name', '-name'] as const

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
  /** Seconds, as in the API. */
  durationMin: string
  durationMax: string
  categoryOneOf: string[]
  licenceOneOf: string[]
  languageOneOf: string[]
  tagsOneOf: string[]
  tagsAllOf: string[]
  host: string
}

/** The filters, grouped as the panel shows them; removing a group removes all its values. */
export type FilterGroup =
  | 'published'
  | 'duration'
  | 'original'
  | 'category'
  | 'language'
  | 'licence'
  | 'live'
  | 'nsfw'
  | 'host'
  | 'tagsOneOf'
  | 'tagsAllOf'

/** One active filter value, and the state change that removes it. */
export type ActiveFilter = { group: FilterGroup; value: string; remove: Partial<SearchState> }

const LISTS = { category: 'categoryOneOf', language: 'languageOneOf', licence: 'licenceOneOf', tagsOneOf: 'tagsOneOf', tagsAllOf: 'tagsAllOf' } as const

/** Every filter the state sets, in the panel's order; lists give one entry per value. */
export function activeFilters(s: SearchState): ActiveFilter[] {
  const out: ActiveFilter[] = []
  const add = (group: FilterGroup, value: string, remove: Partial<SearchState>) => out.push({ group, value, remove: { ...remove, page: 1 } })
  if (s.publishedDateRange) add('published', s.publishedDateRange, { publishedDateRange: '', startDate: '', endDate: '' })
  else if (s.startDate || s.endDate) add('published', 'custom', { startDate: '', endDate: '' })
  if (s.durationRange) add('duration', s.durationRange, { durationRange: '', durationMin: '', durationMax: '' })
  else if (s.durationMin || s.durationMax) add('duration', 'custom', { durationMin: '', durationMax: '' })
  if (s.originallyPublishedStartDate || s.originallyPublishedEndDate) {
    add('original', 'custom', { originallyPublishedStartDate: '', originallyPublishedEndDate: '' })
  }
  for (const group of ['category', 'language', 'licence'] as const) {
    const key = LISTS[group]
    for (const v of s[key]) add(group, v, { [key]: s[key].filter((x) => x !== v) })
  }
  if (s.isLive) add('live', s.isLive, { isLive: '' })
  if (s.nsfw && s.nsfw !== 'false') add('nsfw', s.nsfw, { nsfw: '' })
  if (s.host) add('host', s.host, { host: '' })
  for (const group of ['tagsOneOf', 'tagsAllOf'] as const) {
    for (const v of s[group]) add(group, v, { [group]: s[group].filter((x) => x !== v) })
  }
  return out
}

/** The state change that removes every value of one filter group. */
export function withoutGroup(s: SearchState, group: FilterGroup): Partial<SearchState> {
  const change: Partial<SearchState> = { page: 1 }
  for (const f of activeFilters(s)) {
    if (f.group !== group) continue
    Object.assign(change, f.remove)
    if (group in LISTS) change[LISTS[group as keyof typeof LISTS]] = []
  }
  return change
}

/** The filter groups the state sets, in the panel's order. */
export function activeGroups(s: SearchState): FilterGroup[] {
  return [...new Set(activeFilters(s).map((f) => f.group))]
}

// Filters that only videos have: channels and playlists cannot honour them.
const VIDEO_ONLY: ReadonlySet<FilterGroup> = new Set(['published', 'duration', 'original', 'category', 'language', 'licence', 'live', 'tagsOneOf', 'tagsAllOf'])

/** How many filter groups that only videos have are set. */
export function countVideoFilters(s: SearchState): number {
  return activeGroups(s).filter((g) => VIDEO_ONLY.has(g)).length
}

/** Whether a filter group applies to channels and playlists too (only the host does). */
export function appliesToActors(group: FilterGroup): boolean {
  return group === 'host'
}

/** Whether a search asks for anything at all: without words or filters, the page lists the latest additions. */
export function hasQuery(s: SearchState): boolean {
  return s.search !== '' || countVideoFilters(s) > 0 || s.host !== ''
}
