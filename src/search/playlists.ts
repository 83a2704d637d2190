// /api/v1/search/video-playlists: what a playlist is to the engine, its filters, and its results.
import type { Db } from '../db/open.ts'
import { prepared } from '../db/prepared.ts'
import type { Kind, Restrictions } from './engine.ts'
import { KEY_SPAN } from './rank.ts'
import { facetToken } from './facets.ts'
import { PLAYLIST_COLUMNS, formatPlaylist } from './format.ts'
import { parseIdentifier } from './identifiers.ts'
import type { PlaylistsQuery } from './params.ts'
import { anyOf, blocks, build, restrictionsBuilder } from './restrictions.ts'
import { inHitOrder, searchKind, type KindQuery } from './search.ts'
import type { ApiPlaylist, ResultList } from './types.ts'

const FTS = 'playlists_fts'

/** Playlists: one index; display name, then owner and channel names, then the description. */
export const PLAYLISTS: Kind = {
  table: 'playlists',
  alias: 'p',
  fts: FTS,
  textColumns: ['display_name', 'owner', 'description'],
  fields: [
    { columns: ['display_name'], fts: FTS },
    { columns: ['display_name', 'owner'], fts: FTS },
    { columns: ['display_name', 'owner', 'description'], fts: FTS },
  ],
  title: { fts: FTS, column: 'display_name' },
  totalKey: 'playlists',
  sorts: {
    displayName: { expr: 'p.display_name COLLATE NOCASE', index: 'playlists_search_display_name' },
    createdAt: { expr: 'p.created_at', index: 'playlists_search_created' },
  },
  newest: { expr: 'p.created_at', index: 'playlists_search_created' },
  languages: false,
}

function restrictions(db: Db, q: PlaylistsQuery): Restrictions {
  const b = restrictionsBuilder()
  // An empty playlist has nothing to offer a searcher (PeerTube leaves them out of its own playlist search). A
  // playlist's rank is 0 exactly when it has no video (rank.ts): the rank floor keeps only the others, within FTS5.
  b.minKey = KEY_SPAN
  if (q.host) b.all.push(anyOf([facetToken('host', q.host)]))
  blocks(db, b, { name: 'p.owner_name', host: 'p.owner_host' }, q.blockedAccounts, q.blockedHosts)
  if (q.uuids.length) b.only = prepared(db, 'SELECT search_key AS k FROM playlists WHERE uuid IN (SELECT value FROM json_each(?))').all(JSON.stringify(q.uuids)).map((r) => (r as { k: number }).k)
  return build(b)
}

/** A playlist query as the engine's input: a uuid, short uuid or URL names that playlist. */
export function playlistSearch(db: Db, q: PlaylistsQuery): KindQuery {
  const text = q.search ?? ''
  const id = parseIdentifier(text)
  const named: { id: number; key: number }[] = []
  if (id.kind === 'uuid') {
    const row = prepared(db, 'SELECT id, search_key AS key FROM playlists WHERE uuid = ?').get(id.uuid) as { id: number; key: number } | undefined
    if (row) named.push(row)
  }
  // A URL is searched by the id it names: its other words (https, the host) would only add noise.
  const words = id.kind === 'uuid' && /^https?:/i.test(text.trim()) ? id.uuid : q.search
  return { text: words, identifier: id.kind !== 'none', named, start: q.start, count: q.count, sort: q.sort, restrictions: restrictions(db, q), boost: null }
}

/** Searches playlists: a playlist uuid, short uuid or URL returns that playlist first. */
export function searchPlaylists(db: Db, q: PlaylistsQuery): ResultList<ApiPlaylist> {
  const { hits, total } = searchKind(db, PLAYLISTS, playlistSearch(db, q))
  return { total, data: inHitOrder(db, `SELECT ${PLAYLIST_COLUMNS} FROM playlists p WHERE p.id IN`, hits, formatPlaylist) }
}
