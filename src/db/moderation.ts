// The admin's decisions (hosts added by hand, blocks of hosts, accounts and channels) and the log of every one of
// them. Each decision is one transaction that also applies it to the index, so a running `sepia serve` reflects it
// on its next read: a block deletes the blocked content before the command returns.
import type { Db } from './open.ts'
import { prepared } from './prepared.ts'

/** What can be blocked. */
export type BlockKind = 'host' | 'account' | 'channel'

/** A block as stored: `name` is '' for a host. */
export type Block = { kind: BlockKind; host: string; name: string; reason: string; createdAt: number }

/** One line of the moderation log. */
export type ModerationEntry = {
  id: number
  at: number
  action: 'add' | 'remove' | 'block' | 'unblock'
  kind: BlockKind
  target: string
  reason: string | null
  effect: string | null
}

/** How many rows of each kind an action deleted from the index. */
export type Removed = { videos: number; channels: number; playlists: number }

/** `name@host` for an account or channel, the host alone for a host. */
export function blockTarget(b: { kind: BlockKind; host: string; name: string }): string {
  return b.kind === 'host' ? b.host : `${b.name}@${b.host}`
}

type BlockRow = { kind: BlockKind; host: string; name: string; reason: string; created_at: number }
const fromBlockRow = (r: BlockRow): Block => ({ kind: r.kind, host: r.host, name: r.name, reason: r.reason, createdAt: r.created_at })

/** Every block, hosts first, then accounts and channels, each by target. */
export function allBlocks(db: Db): Block[] {
  const rows = prepared(db, `SELECT * FROM blocks ORDER BY CASE kind WHEN 'host' THEN 0 WHEN 'account' THEN 1 ELSE 2 END, host, name`).all() as BlockRow[]
  return rows.map(fromBlockRow)
}

/** The block on a host, account or channel, if there is one. */
export function findBlock(db: Db, kind: BlockKind, host: string, name = ''): Block | undefined {
  const row = prepared(db, 'SELECT * FROM blocks WHERE kind = ? AND host = ? AND name = ?').get(kind, host, name) as BlockRow | undefined
  return row && fromBlockRow(row)
}

/** The blocked account and channel names of one host (lower case), for the crawler to skip. */
export function blockedActors(db: Db, host: string): { accounts: Set<string>; channels: Set<string> } {
  const rows = prepared(db, `SELECT kind, name FROM blocks WHERE host = ? AND kind IN ('account', 'channel')`).all(host) as {
    kind: BlockKind
    name: string
  }[]
  return {
    accounts: new Set(rows.filter((r) => r.kind === 'account').map((r) => r.name)),
    channels: new Set(rows.filter((r) => r.kind === 'channel').map((r) => r.name)),
  }
}

/** The hosts added by hand, with when. */
export function adminHosts(db: Db): { host: string; addedAt: number }[] {
  return prepared(db, 'SELECT host, added_at AS addedAt FROM admin_hosts ORDER BY host').all() as { host: string; addedAt: number }[]
}

function logAction(db: Db, e: Omit<ModerationEntry, 'id'>): void {
  prepared(db, 'INSERT INTO moderation_log (at, action, kind, target, reason, effect) VALUES (?, ?, ?, ?, ?, ?)').run(
    e.at,
    e.action,
    e.kind,
    e.target,
    e.reason,
    e.effect,
  )
}

/** "removed 3 videos, 1 channel, 0 playlists" (or "nothing was indexed"), for the log. */
export function describeRemoved(r: Removed): string {
  if (r.videos + r.channels + r.playlists === 0) return 'nothing was indexed'
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
  return `removed ${n(r.videos, 'video')}, ${n(r.channels, 'channel')}, ${n(r.playlists, 'playlist')}`
}

/** What adding a host by hand did. */
export type AddResult = { status: 'added' | 'already'; blocked: Block | undefined }

/**
 * Adds a host by hand: it is crawled from the next crawl on (or now, with `sepia crawl --host`). A blocked host is
 * not added: the admin must unblock it first, so that a block is never undone by accident.
 */
export function addHost(db: Db, host: string, reason: string | null, now = Date.now()): AddResult {
  return db.transaction((): AddResult => {
    const blocked = findBlock(db, 'host', host)
    if (blocked) return { status: 'already', blocked }
    const inserted = prepared(db, 'INSERT INTO admin_hosts (host, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(host, now).changes
    prepared(db,
      `INSERT INTO instances (host, in_admin, created_at) VALUES (?, 1, ?) ON CONFLICT (host) DO UPDATE SET in_admin = 1`,
    ).run(host, now)
    if (inserted === 0) return { status: 'already', blocked: undefined }
    logAction(db, { at: now, action: 'add', kind: 'host', target: host, reason, effect: 'to be crawled from the next crawl' })
    return { status: 'added', blocked: undefined }
  }).immediate()
}

/** What removing a host added by hand did; `stillIndexedBy` says why it stays, when it does. */
export type RemoveResult = { status: 'removed' | 'not-added'; removed: Removed | null; stillIndexedBy: ('list' | 'config')[] }

/**
 * Removes a host added by hand. If neither the list URL nor instances.hosts names it, it leaves the index with its
 * content at once; otherwise it stays, and `stillIndexedBy` says why (only a block stops those).
 */
export function removeHost(db: Db, host: string, configured: readonly string[], reason: string | null, now = Date.now()): RemoveResult {
  return db.transaction((): RemoveResult => {
    const deleted = prepared(db, 'DELETE FROM admin_hosts WHERE host = ?').run(host).changes
    const row = prepared(db, 'SELECT id, in_list AS inList FROM instances WHERE host = ?').get(host) as { id: number; inList: number } | undefined
    const stillIndexedBy: ('list' | 'config')[] = []
    if (row?.inList) stillIndexedBy.push('list')
    if (configured.includes(host)) stillIndexedBy.push('config')
    if (deleted === 0) return { status: 'not-added', removed: null, stillIndexedBy }
    let removed: Removed | null = null
    if (row) {
      if (stillIndexedBy.length === 0) {
        removed = countContent(db, row.id)
        prepared(db, 'DELETE FROM instances WHERE id = ?').run(row.id)
      } else {
        prepared(db, 'UPDATE instances SET in_admin = 0 WHERE id = ?').run(row.id)
      }
    }
    const effect = stillIndexedBy.length
      ? `still indexed: named by ${stillIndexedBy.map((s) => (s === 'list' ? 'the list URL' : 'instances.hosts')).join(' and ')}`
      : describeRemoved(removed ?? { videos: 0, channels: 0, playlists: 0 })
    logAction(db, { at: now, action: 'remove', kind: 'host', target: host, reason, effect })
    return { status: 'removed', removed, stillIndexedBy }
  }).immediate()
}

function countContent(db: Db, instanceId: number): Removed {
  const count = (table: 'videos' | 'channels' | 'playlists') =>
    (prepared(db, `SELECT count(*) AS n FROM ${table} WHERE instance_id = ?`).get(instanceId) as { n: number }).n
  return { videos: count('videos'), channels: count('channels'), playlists: count('playlists') }
}

/** What a block did: 'already' when it existed (its reason is then left as it was). */
export type BlockResult = { status: 'blocked' | 'already'; block: Block; removed: Removed }

/**
 * Blocks a host, or an account or channel of a host: records the block and the log line, and deletes the blocked
 * content, in one transaction. The crawler then never indexes it again (runCrawl skips blocked hosts, crawlInstance
 * checks blocked accounts and channels in each of its write transactions).
 */
export function block(db: Db, kind: BlockKind, host: string, name: string, reason: string, now = Date.now()): BlockResult {
  return db.transaction((): BlockResult => {
    const existing = findBlock(db, kind, host, name)
    if (existing) return { status: 'already', block: existing, removed: { videos: 0, channels: 0, playlists: 0 } }
    prepared(db, 'INSERT INTO blocks (kind, host, name, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(kind, host, name, reason, now)
    const removed = kind === 'host' ? removeHostContent(db, host) : removeActorContent(db, kind, host, name)
    const b: Block = { kind, host, name, reason, createdAt: now }
    logAction(db, { at: now, action: 'block', kind, target: blockTarget(b), reason, effect: describeRemoved(removed) })
    return { status: 'blocked', block: b, removed }
  }).immediate()
}

function removeHostContent(db: Db, host: string): Removed {
  const row = prepared(db, 'SELECT id FROM instances WHERE host = ?').get(host) as { id: number } | undefined
  if (!row) return { videos: 0, channels: 0, playlists: 0 }
  const removed = countContent(db, row.id)
  // ON DELETE CASCADE takes the videos, channels and playlists (and the FTS triggers their index entries).
  prepared(db, 'DELETE FROM instances WHERE id = ?').run(row.id)
  return removed
}

// Content of an account: its videos, its channels, its playlists. Of a channel: its videos, itself, the playlists
// attached to it. Names compare case-insensitively, as PeerTube's do.
function removeActorContent(db: Db, kind: 'account' | 'channel', host: string, name: string): Removed {
  const sql =
    kind === 'account'
      ? {
          videos: 'DELETE FROM videos WHERE account_host = :host AND lower(account_name) = :name',
          channels: 'DELETE FROM channels WHERE owner_host = :host AND lower(owner_name) = :name',
          playlists: 'DELETE FROM playlists WHERE owner_host = :host AND lower(owner_name) = :name',
        }
      : {
          videos: 'DELETE FROM videos WHERE channel_host = :host AND lower(channel_name) = :name',
          channels: 'DELETE FROM channels WHERE host = :host AND lower(name) = :name',
          playlists: 'DELETE FROM playlists WHERE channel_host = :host AND lower(channel_name) = :name',
        }
  const removed = {
    videos: prepared(db, sql.videos).run({ host, name }).changes,
    channels: prepared(db, sql.channels).run({ host, name }).changes,
    playlists: prepared(db, sql.playlists).run({ host, name }).changes,
  }
  // Keep the instance's counts honest for `sepia instances list` and the about page.
  prepared(db,
    `UPDATE instances SET
       videos_count = (SELECT count(*) FROM videos WHERE instance_id = instances.id),
       channels_count = (SELECT count(*) FROM channels WHERE instance_id = instances.id),
       playlists_count = (SELECT count(*) FROM playlists WHERE instance_id = instances.id)
     WHERE host = ?`,
  ).run(host)
  return removed
}

/** What an unblock did: 'not-blocked' when there was no such block. */
export type UnblockResult = { status: 'unblocked' | 'not-blocked'; block: Block | undefined }

/**
 * Lifts a block. A host comes back at once if the admin named it (instances.hosts, added by hand), else at the
 * next crawl if the list URL names it; an account's or channel's content comes back with the next crawl.
 */
export function unblock(db: Db, kind: BlockKind, host: string, name: string, reason: string | null, now = Date.now()): UnblockResult {
  return db.transaction((): UnblockResult => {
    const existing = findBlock(db, kind, host, name)
    if (!existing) return { status: 'not-blocked', block: undefined }
    prepared(db, 'DELETE FROM blocks WHERE kind = ? AND host = ? AND name = ?').run(kind, host, name)
    logAction(db, { at: now, action: 'unblock', kind, target: blockTarget(existing), reason, effect: 'indexed again from the next crawl' })
    return { status: 'unblocked', block: existing }
  }).immediate()
}

/** The moderation log, newest first. */
export function moderationLog(db: Db, limit = 1000): ModerationEntry[] {
  return prepared(db, 'SELECT id, at, action, kind, target, reason, effect FROM moderation_log ORDER BY id DESC LIMIT ?').all(
    limit,
  ) as ModerationEntry[]
}

/** What the public may see of the blocks: blocked hosts with their reasons, and how many accounts and channels. */
export type PublicBlocks = {
  hosts: { host: string; reason: string; since: string }[]
  /** Blocked accounts and channels are counted, not named: they are people, and the count is enough to audit. */
  accounts: number
  channels: number
}

/** The blocked hosts and reasons, for the about page and GET /api/v1/moderation/blocks (when published). */
export function publicBlocks(db: Db): PublicBlocks {
  const blocks = allBlocks(db)
  return {
    hosts: blocks.filter((b) => b.kind === 'host').map((b) => ({ host: b.host, reason: b.reason, since: new Date(b.createdAt).toISOString() })),
    accounts: blocks.filter((b) => b.kind === 'account').length,
    channels: blocks.filter((b) => b.kind === 'channel').length,
  }
}
