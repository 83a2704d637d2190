// /api/v1/search/video-playlists.
import type { Db } from '../db/open.ts'
import { prepared, type Condition, type Restrictions } from './engine.ts'
import { PLAYLIST_COLUMNS, formatPlaylist, type PlaylistRow } from './format.ts'
import { parseIdentifier } from './identifiers.ts'
import type { PlaylistsQuery } from './params.ts'
import { score } from './rank.ts'
import { searchSingleIndex, type Kind } from './single-index.ts'
import { ftsToken, hexToken } from './text.ts'
import type { ApiPlaylist, ResultList } from './types.ts'

const KIND: Kind = {
  source: {
    table: 'playlists',
    alias: 'p',
    fts: 'playlists_fts',
    idOfKey: '$',
    keyOfRow: 'p.id',
    totalKey: 'playlists',
    textColumns: ['display_name', 'owner', 'description'],
    vocab: 'playlists_vocab',
  },
  tiers: [['display_name'], ['display_name', 'owner']],
  sorts: {
    displayName: { expr: 'p.display_name COLLATE NOCASE', index: 'playlists_search_display_name' },
    createdAt: { expr: 'p.created_at', index: 'playlists_search_created' },
  },
  score: (db, ids, q) => {
    const rows = prepared(db, `SELECT id, display_name, owner_display_name, owner_name, channel_display_name, channel_name,
      videos_length FROM playlists WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as {
      id: number; display_name: string; owner_display_name: string; owner_name: string; channel_display_name: string | null
      channel_name: string | null; videos_length: number
    }[]
    return new Map(rows.map((r) => [r.id, score({
      title: r.display_name, tags: [], language: null, popularity: r.videos_length,
      names: [r.owner_display_name, r.owner_name, r.channel_display_name ?? '', r.channel_name ?? ''].join(' '),
    }, q)]))
  },
}

const token = (prefix: string, value: string) => ftsToken(prefix + hexToken(value.toLowerCase()))

function restrictions(q: PlaylistsQuery): Restrictions {
  const post: Condition[] = []
  if (q.uuids.length) post.push({ sql: `p.uuid IN (${q.uuids.map(() => '?').join(', ')})`, params: q.uuids })
  const blocked = [
    ...q.blockedAccounts.filter((h) => /^[^@\s]+@[^@\s]+$/.test(h)).map((h) => token('za', h)),
    ...q.blockedHosts.map((h) => token('zh', h)),
  ]
  return {
    facets: q.host ? `{facets}: ${token('zh', q.host)}` : null,
    blocked: blocked.length ? `{facets}: (${blocked.join(' OR ')})` : null,
    minKey: null,
    maxKey: null,
    post,
  }
}

/** Searches playlists: a playlist uuid, short uuid or URL returns that playlist first. */
export function searchPlaylists(db: Db, q: PlaylistsQuery): ResultList<ApiPlaylist> {
  const text = q.search ?? ''
  const id = parseIdentifier(text)
  const named: { id: number; key: bigint }[] = []
  if (id.kind === 'uuid') {
    const row = prepared(db, 'SELECT id FROM playlists WHERE uuid = ?').get(id.uuid) as { id: number } | undefined
    if (row) named.push({ id: row.id, key: BigInt(row.id) })
  }
  // A URL is searched by the id it names: its other words (https, the host) would only add noise.
  const search = id.kind === 'uuid' && /^https?:/i.test(text.trim()) ? id.uuid : q.search
  const { hits, total } = searchSingleIndex(db, KIND, { search, start: q.start, count: q.count, sort: q.sort, restrictions: restrictions(q), named, identifier: id.kind !== 'none' })
  if (hits.length === 0) return { total, data: [] }
  const rows = prepared(db, `SELECT ${PLAYLIST_COLUMNS} FROM playlists p WHERE p.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(hits.map((h) => h.id))) as PlaylistRow[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  return { total, data: hits.flatMap((h) => (byId.has(h.id) ? [formatPlaylist(byId.get(h.id)!, h.score)] : [])) }
}
