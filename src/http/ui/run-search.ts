// Runs the searches one results page needs, through the same parsing and search functions as the JSON API, so
// the site and the API can never disagree about what a parameter means.
import type { Db } from '../../db/open.ts'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams, type InvalidParam, type ParseResult } from '../../search/params.ts'
import { searchVideos } from '../../search/videos.ts'
import { searchChannels } from '../../search/channels.ts'
import { searchPlaylists } from '../../search/playlists.ts'
import type { ApiChannel, ApiPlaylist, ApiVideo, ResultList } from '../../search/types.ts'
import {
  activeGroups,
  appliesToActors,
  countVideoFilters,
  hasQuery,
  withoutGroup,
  type FilterGroup,
  type SearchState,
} from '../../../views/search-model.ts'
import { MAX_PAGE, PAGE_SIZE, actorSearchInput, videoSearchInput } from './search-state.ts'

/** What the search would give with fewer filters, when the filters left nothing. */
export type Relaxed = {
  /** Matches of the words alone, without any filter. */
  total: number
  /** Matches with everything but one filter group, for each group set (up to MAX_RELAXED_GROUPS). */
  groups: { group: FilterGroup; total: number }[]
}

/** The lists of one results page; null where that search was not run. */
export type PageResults = {
  /** The state actually searched (without words, it gains the newest-first sort). */
  state: SearchState
  /** The sort in effect for the main list, as the sort control offers it ('' for best match). */
  sort: string
  browsing: boolean
  invalid: Record<string, string> | null
  videos: ResultList<ApiVideo> | null
  channels: ResultList<ApiChannel> | null
  playlists: ResultList<ApiPlaylist> | null
  lastPage: number
  /** The page asked for lies past the last page of results (there are results, just not that many). */
  pastEnd: boolean
  relaxed: Relaxed | null
}

/** The most filter groups whose removal is tried on an empty page: each costs one more search. */
const MAX_RELAXED_GROUPS = 6

/** Runs the searches of a results page: the kind asked for, plus a few channels and playlists on "all". */
export function runPageSearch(db: Db, asked: SearchState, now: number, boostLanguages: string[]): PageResults {
  const browsing = !hasQuery(asked)
  // Without words to match, "best match" means nothing: the newest videos come first instead.
  const state = !asked.search && !asked.sort ? { ...asked, sort: '-publishedAt' } : asked
  const invalid: Record<string, string> = {}
  const kind = state.resultType
  // Channels and playlists cannot honour video filters: listing them anyway would look like they matched.
  const sideResults = kind === 'all' && state.page === 1 && !browsing && countVideoFilters(state) === 0

  let sort = ''
  // Parses one search's parameters as the API would; the main list's sort is recorded as the control shows it.
  const run = <Q extends { sort: string }, R>(parsed: ParseResult<Q>, search: (q: Q) => R, main: boolean, shown: (sort: string) => string) => {
    if (!parsed.ok) {
      addInvalid(invalid, parsed.invalidParams)
      return null
    }
    if (main) sort = shown(parsed.query.sort)
    return search(parsed.query)
  }
  // Counting only (count 0) when `countOnly`: the relaxed searches of an empty page need no rows.
  const input = (api: Record<string, string | string[]>, countOnly: boolean) => (countOnly ? { ...api, start: '0', count: '0' } : api)
  const videoSearch = (s: SearchState, countOnly = false) =>
    run(parseVideosParams(input(videoSearchInput(s, now, boostLanguages), countOnly)), (q) => searchVideos(db, q), s === state, videoSortChoice)
  const channelSearch = (s: SearchState, countOnly = false) =>
    run(parseChannelsParams(input(actorSearchInput(s), countOnly)), (q) => searchChannels(db, q), s === state && kind === 'channels', actorSortChoice)
  const playlistSearch = (s: SearchState, countOnly = false) =>
    run(parsePlaylistsParams(input(actorSearchInput(s), countOnly)), (q) => searchPlaylists(db, q), s === state && kind === 'playlists', actorSortChoice)

  const videos = kind === 'all' || kind === 'videos' ? videoSearch(state) : null
  const channels = kind === 'channels' || sideResults ? channelSearch(state) : null
  const playlists = kind === 'playlists' || sideResults ? playlistSearch(state) : null
  const main = kind === 'channels' ? channels : kind === 'playlists' ? playlists : videos
  const total = main?.total ?? 0
  const lastPage = Math.min(MAX_PAGE, Math.ceil(total / PAGE_SIZE))
  const anyInvalid = Object.keys(invalid).length > 0

  // An empty page because of filters says which filters emptied it, and what removing each would give.
  let relaxed: Relaxed | null = null
  const groups = activeGroups(state).filter((g) => kind === 'all' || kind === 'videos' || appliesToActors(g))
  if (!anyInvalid && total === 0 && groups.length > 0) {
    const search = kind === 'channels' ? channelSearch : kind === 'playlists' ? playlistSearch : videoSearch
    const count = (s: SearchState) => search({ ...s, page: 1 }, true)?.total ?? 0
    const bare = groups.reduce<SearchState>((s, g) => ({ ...s, ...withoutGroup(s, g) }), state)
    relaxed = {
      total: count(bare),
      groups: groups.slice(0, MAX_RELAXED_GROUPS).map((group) => ({ group, total: count({ ...state, ...withoutGroup(state, group) }) })),
    }
  }
  return {
    state, sort, browsing, invalid: anyInvalid ? invalid : null, videos, channels, playlists, lastPage,
    pastEnd: total > 0 && state.page > lastPage, relaxed,
  }
}

// The sort control offers best match as '' (the URL leaves the default out).
function videoSortChoice(sort: string): string {
  return sort === '-match' ? '' : sort
}

// The sort control of channels and playlists speaks in video sorts (see ACTOR_SORT_CHOICES).
function actorSortChoice(sort: string): string {
  const column = sort.replace(/^-/, '')
  const descending = sort.startsWith('-')
  if (column === 'createdAt') return descending ? '-publishedAt' : 'publishedAt'
  if (column === 'displayName') return descending ? '-name' : 'name'
  return ''
}

function addInvalid(into: Record<string, string>, params: Record<string, InvalidParam>): void {
  for (const [name, p] of Object.entries(params)) into[name] = p.msg
}
