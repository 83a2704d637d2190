import type { Db } from './open.ts'
import type { ChannelRecord } from '../types.ts'
import { actorColumns } from './json.ts'
import { prepared } from './prepared.ts'

const COLUMNS = `instance_id, remote_id, name, host, url, display_name, description, support, avatars, banners,
  followers_count, following_count, created_at, updated_at,
  owner_remote_id, owner_name, owner_display_name, owner_host, owner_url, owner_avatars, seen_at`
const NAMES = COLUMNS.split(',').map((c) => c.trim())

/** Statements for writing an instance's channels; use inside the crawl's write transaction. */
export function channelWriter(db: Db) {
  const updates = NAMES.filter((c) => c !== 'instance_id' && c !== 'name')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')
  // A channel's handle is unique on its instance, so (instance, name) identifies it across crawls.
  const upsert = prepared(
    db,
    `INSERT INTO channels (${COLUMNS}) VALUES (${NAMES.map(() => '?').join(', ')})
     ON CONFLICT (instance_id, name) DO UPDATE SET ${updates}`,
  )
  const exists = prepared(db, 'SELECT 1 FROM channels WHERE instance_id = ? AND name = ?')
  return {
    /** Inserts or refreshes a channel, marking it seen at `now`; returns whether it was new. */
    upsert(instanceId: number, c: ChannelRecord, now: number): boolean {
      const isNew = exists.get(instanceId, c.name) === undefined
      upsert.run(
        instanceId, c.remoteId, c.name, c.host, c.url, c.displayName, c.description, c.support,
        JSON.stringify(c.avatars), JSON.stringify(c.banners), c.followersCount, c.followingCount,
        c.createdAt, c.updatedAt, ...actorColumns(c.owner), now,
      )
      return isNew
    },
  }
}

/** When a listing pass last saw each of these channels of an instance (by name). */
export function channelsSeen(db: Db, instanceId: number, names: readonly string[]): Map<string, number> {
  const rows = prepared(db, 'SELECT name, seen_at AS seenAt FROM channels WHERE instance_id = ? AND name IN (SELECT value FROM json_each(?))').all(
    instanceId,
    JSON.stringify(names),
  ) as { name: string; seenAt: number }[]
  return new Map(rows.map((r) => [r.name, r.seenAt]))
}

/** Counts a known channel as seen without changing it (it was listed, but unreadable this time). */
export function keepChannel(db: Db, instanceId: number, name: string, now: number): void {
  prepared(db, 'UPDATE channels SET seen_at = ? WHERE instance_id = ? AND name = ?').run(now, instanceId, name)
}
