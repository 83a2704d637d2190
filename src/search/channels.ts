// /api/v1/search/video-channels.
import type { Db } from '../db/open.ts'
import { prepared, type Condition, type Restrictions } from './engine.ts'
import { CHANNEL_COLUMNS, formatChannel, type ChannelRow } from './format.ts'
import { parseIdentifier } from './identifiers.ts'
import type { ChannelsQuery } from './params.ts'
import { score } from './rank.ts'
import { searchSingleIndex, type Kind } from './single-index.ts'
import { ftsToken, hexToken } from './text.ts'
import type { ApiChannel, ResultList } from './types.ts'

const KIND: Kind = {
  source: {
    table: 'channels',
    alias: 'c',
    fts: 'channels_fts',
    idOfKey: '$',
    keyOfRow: 'c.id',
    totalKey: 'channels',
    textColumns: ['display_name', 'name', 'owner', 'description'],
    vocab: 'channels_vocab',
  },
  // Display name, then the handle's name, then the owner's names; the description last.
  tiers: [['display_name'], ['display_name', 'name'], ['display_name', 'name', 'owner']],
  sorts: {
    displayName: { expr: 'c.display_name COLLATE NOCASE', index: 'channels_search_display_name' },
    createdAt: { expr: 'c.created_at', index: 'channels_search_created' },
  },
  score: (db, ids, q) => {
    const rows = prepared(db, `SELECT id, display_name, name, owner_display_name, owner_name, followers_count FROM channels
      WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as {
      id: number; display_name: string; name: string; owner_display_name: string; owner_name: string; followers_count: number
    }[]
    return new Map(rows.map((r) => [r.id, score({
      title: r.display_name, tags: [], names: `${r.name} ${r.owner_display_name} ${r.owner_name}`, language: null, popularity: r.followers_count,
    }, q)]))
  },
}

const handleToken = (prefix: string, handle: string) => ftsToken(prefix + hexToken(handle.toLowerCase()))

function restrictions(q: ChannelsQuery): Restrictions {
  const all: string[] = []
  const post: Condition[] = []
  if (q.host) all.push(`{facets}: ${handleToken('zh', q.host)}`)
  if (q.handles.length) all.push(`{facets}: (${q.handles.map((h) => handleToken('zk', h)).join(' OR ')})`)
  const blocked = [
    ...q.blockedAccounts.filter((h) => /^[^@\s]+@[^@\s]+$/.test(h)).map((h) => handleToken('za', h)),
    ...q.blockedHosts.map((h) => handleToken('zh', h)),
  ]
  return {
    facets: all.length ? all.join(' AND ') : null,
    blocked: blocked.length ? `{facets}: (${blocked.join(' OR ')})` : null,
    minKey: null,
    maxKey: null,
    post,
  }
}

/** Searches channels: a handle `name@host` (or a channel URL) returns that channel first. */
export function searchChannels(db: Db, q: ChannelsQuery): ResultList<ApiChannel> {
  const id = parseIdentifier(q.search ?? '')
  const named: { id: number; key: bigint }[] = []
  if (id.kind === 'handle') {
    const row = prepared(db, 'SELECT id FROM channels WHERE host = ? AND name = ?').get(id.host, id.name) as { id: number } | undefined
    if (row) named.push({ id: row.id, key: BigInt(row.id) })
  }
  const { hits, total } = searchSingleIndex(db, KIND, { search: q.search, start: q.start, count: q.count, sort: q.sort, restrictions: restrictions(q), named, identifier: id.kind !== 'none' })
  if (hits.length === 0) return { total, data: [] }
  const rows = prepared(db, `SELECT ${CHANNEL_COLUMNS} FROM channels c WHERE c.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(hits.map((h) => h.id))) as ChannelRow[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  return { total, data: hits.flatMap((h) => (byId.has(h.id) ? [formatChannel(byId.get(h.id)!, h.score)] : [])) }
}
