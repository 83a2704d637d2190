// /api/v1/search/video-channels: what a channel is to the engine, its filters, and its results.
import type { Db } from '../db/open.ts'
import { prepared } from '../db/prepared.ts'
import type { Kind, Restrictions } from './engine.ts'
import { facetToken } from './facets.ts'
import { CHANNEL_COLUMNS, formatChannel } from './format.ts'
import { parseIdentifier } from './identifiers.ts'
import type { ChannelsQuery } from './params.ts'
import { anyOf, blocks, build, oneOf, restrictionsBuilder } from './restrictions.ts'
import { inHitOrder, searchKind, type KindQuery } from './search.ts'
import type { ApiChannel, ResultList } from './types.ts'

const FTS = 'channels_fts'

/** Channels: one index; display name, then the handle's name, then the owner's names, then the description. */
export const CHANNELS: Kind = {
  table: 'channels',
  alias: 'c',
  fts: FTS,
  textColumns: ['display_name', 'name', 'owner', 'description'],
  fields: [
    { columns: ['display_name'], fts: FTS },
    { columns: ['display_name', 'name'], fts: FTS },
    { columns: ['display_name', 'name', 'owner'], fts: FTS },
    { columns: ['display_name', 'name', 'owner', 'description'], fts: FTS },
  ],
  title: { fts: FTS, column: 'display_name' },
  totalKey: 'channels',
  sorts: {
    displayName: { expr: 'c.display_name COLLATE NOCASE', index: 'channels_search_display_name' },
    createdAt: { expr: 'c.created_at', index: 'channels_search_created' },
  },
  newest: { expr: 'c.created_at', index: 'channels_search_created' },
  languages: false,
}

function restrictions(db: Db, q: ChannelsQuery): Restrictions {
  const b = restrictionsBuilder()
  if (q.host) b.all.push(anyOf([facetToken('host', q.host)]))
  if (q.handles.length) {
    oneOf(db, FTS, b, q.handles.map((h) => facetToken('channel', h)), q.handles, (held) => ({
      sql: `(lower(c.name) || '@' || lower(c.host)) IN (SELECT value FROM json_each(?))`,
      params: [JSON.stringify(held)],
    }))
  }
  blocks(db, b, { name: 'c.owner_name', host: 'c.owner_host' }, q.blockedAccounts, q.blockedHosts)
  return build(b)
}

/** A channel query as the engine's input: a handle `name@host` (or a channel URL) names that channel. */
export function channelSearch(db: Db, q: ChannelsQuery): KindQuery {
  const id = parseIdentifier(q.search ?? '')
  const named: { id: number; key: number }[] = []
  if (id.kind === 'handle') {
    const row = prepared(db, 'SELECT id, search_key AS key FROM channels WHERE host = ? AND name = ?').get(id.host, id.name) as { id: number; key: number } | undefined
    if (row) named.push(row)
  }
  return { text: q.search, identifier: id.kind !== 'none', named, start: q.start, count: q.count, sort: q.sort, restrictions: restrictions(db, q), boost: null }
}

/** Searches channels: a handle `name@host` (or a channel URL) returns that channel first. */
export function searchChannels(db: Db, q: ChannelsQuery): ResultList<ApiChannel> {
  const { hits, total } = searchKind(db, CHANNELS, channelSearch(db, q))
  return { total, data: inHitOrder(db, `SELECT ${CHANNEL_COLUMNS} FROM channels c WHERE c.id IN`, hits, formatChannel) }
}
