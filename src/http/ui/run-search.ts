// Runs the searches one results page needs, through the same parsing and search functions as the JSON API, so
// the site and the API can never disagree about what a parameter means.
import type { Db } from '../../db/open.ts'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams, type InvalidParam } from '../../search/params.ts'
import { searchVideos } from '../../search/videos.ts'
import { searchChannels } from '../../search/channels.ts'
import { searchPlaylists } from '../../search/playlists.ts'
import type { ApiChannel, ApiPlaylist, ApiVideo, ResultList } from '../../search/types.ts'
import {
  MAX_PAGE,
  PAGE_SIZE,
  actorSearchInput,
  countVideoFilters,
  hasQuery,
  videoSearchInput,
  type SearchState,
} from './search-state.ts'

/** The lists of one results page; null where that search was not run. */
export type PageResults = {
  /** The state actually searched (without words, it gains the newest-first sort). */
  state: SearchState
  browsing: boolean
  invalid: Record<string, string> | null
  videos: ResultList<ApiVideo> | null
  channels: ResultList<ApiChannel> | null
  playlists: ResultList<ApiPlaylist> | null
  lastPage: number
}

/** Runs the searches of a results page: the kind asked for, plus a few channels and playlists on "all". */
export function runPageSearch(db: Db, asked: SearchState, now: number, boostLanguages: string[]): PageResults {
  const browsing = !hasQuery(asked)
  // Without words to match, "best match" means nothing: the newest videos come first instead.
  const state = !asked.search && !asked.sort ? { ...asked, sort: '-publishedAt' } : asked
  const invalid: Record<string, string> = {}
  const kind = state.resultType
  // Channels and playlists cannot honour video filters: listing them anyway would look like they matched.
  const sideResults = kind === 'all' && state.page === 1 && !browsing && countVideoFilters(state) === 0

  let videos: ResultList<ApiVideo> | null = null
  if (kind === 'all' || kind === 'videos') {
    const parsed = parseVideosParams(videoSearchInput(state, now, boostLanguages))
    if (parsed.ok) videos = searchVideos(db, parsed.query)
    else addInvalid(invalid, parsed.invalidParams)
  }
  let channels: ResultList<ApiChannel> | null = null
  if (kind === 'channels' || sideResults) {
    const parsed = parseChannelsParams(actorSearchInput(state))
    if (parsed.ok) channels = searchChannels(db, parsed.query)
    else addInvalid(invalid, parsed.invalidParams)
  }
  let playlists: ResultList<ApiPlaylist> | null = null
  if (kind === 'playlists' || sideResults) {
    const parsed = parsePlaylistsParams(actorSearchInput(state))
    if (parsed.ok) playlists = searchPlaylists(db, parsed.query)
    else addInvalid(invalid, parsed.invalidParams)
  }
  const main = kind === 'channels' ? channels : kind === 'playlists' ? playlists : videos
  const lastPage = Math.min(MAX_PAGE, Math.ceil((main?.total ?? 0) / PAGE_SIZE))
  const anyInvalid = Object.keys(invalid).length > 0
  return { state, browsing, invalid: anyInvalid ? invalid : null, videos, channels, playlists, lastPage }
}

function addInvalid(into: Record<string, string>, params: Record<string, InvalidParam>): void {
  for (const [name, p] of Object.entries(params)) into[name] = p.msg
}
