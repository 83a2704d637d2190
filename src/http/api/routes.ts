import { Hono, type Context } from 'hono'
import type { AppDeps } from '../deps.ts'
import { log } from '../../log.ts'
import { VERSION } from '../../version.ts'
import { indexCounts } from '../../search/counts.ts'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams, type ParamsLocation, type ParseResult } from '../../search/params.ts'
import { searchChannels } from '../../search/channels.ts'
import { searchPlaylists } from '../../search/playlists.ts'
import { searchVideos } from '../../search/videos.ts'
import { readInput } from './input.ts'
import { invalidParams, problem } from './problem.ts'
import { moderationRoutes } from './moderation.ts'

type Route<Q> = {
  parse: (input: Record<string, unknown>, location: ParamsLocation) => ParseResult<Q>
  search: (deps: AppDeps, query: Q) => unknown
  /** PeerTube's operation id, for the `docs` link of a 400. */
  operation: string
}

/** Parse, search, answer: the whole life of a search request (GET or POST alike). */
function searchHandler<Q>(deps: AppDeps, route: Route<Q>) {
  return async (c: Context) => {
    const input = await readInput(c, deps.config.api.maxBodyBytes)
    if (!input.ok) return problem(c, 400, input.detail)
    const parsed = route.parse(input.params, input.location)
    if (!parsed.ok) return invalidParams(c, parsed.invalidParams, route.operation)
    return c.json(route.search(deps, parsed.query))
  }
}

/** The JSON API, mounted at /api: PeerTube's three search routes (GET and POST) and the index's config. */
export function apiRoutes(deps: AppDeps): Hono {
  const app = new Hono()
  const videos = searchHandler(deps, { parse: parseVideosParams, search: (d, q) => searchVideos(d.db, q), operation: 'searchVideos' })
  const channels = searchHandler(deps, { parse: parseChannelsParams, search: (d, q) => searchChannels(d.db, q), operation: 'searchChannels' })
  const playlists = searchHandler(deps, { parse: parsePlaylistsParams, search: (d, q) => searchPlaylists(d.db, q), operation: 'searchPlaylists' })

  app.get('/v1/search/videos', videos)
  app.post('/v1/search/videos', videos)
  app.get('/v1/search/video-channels', channels)
  app.post('/v1/search/video-channels', channels)
  app.get('/v1/search/video-playlists', playlists)
  app.post('/v1/search/video-playlists', playlists)
  app.get('/v1/config', (c) => c.json(serverConfig(deps)))
  moderationRoutes(app, deps)
  app.all('*', (c) => problem(c, 404, 'Unknown API route.'))

  app.onError((err, c) => {
    // The message may quote the search (an SQLite error does): log only what kind of error it was.
    const code = (err as { code?: unknown }).code
    log('error', `API request failed: ${err.name}${typeof code === 'string' ? ` ${code}` : ''} on ${c.req.method} ${new URL(c.req.url).pathname}`)
    return problem(c, 500, 'The search failed.')
  })
  return app
}

/**
 * What the Sepia search client and apps read from /api/v1/config (the fields of Framasoft's search-index), plus
 * the index sizes.
 */
function serverConfig({ db, config }: AppDeps) {
  const counts = indexCounts(db)
  return {
    searchInstanceName: config.site.name,
    searchInstanceNameImage: config.site.logoUrl,
    searchInstanceSearchImage: null,
    legalNoticesUrl: config.site.legalNoticesUrl,
    indexedHostsCount: counts.instances,
    // A page people can read (the list URL is JSON, and absent in allowlist mode): the about page lists every
    // indexed instance with its status. Relative when the public address is unknown.
    indexedInstancesUrl: `${config.site.url?.replace(/\/+$/, '') ?? ''}/about#instances`,
    indexedVideosCount: counts.videos,
    indexedChannelsCount: counts.channels,
    indexedPlaylistsCount: counts.playlists,
    serverVersion: VERSION,
  }
}
