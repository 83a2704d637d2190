// The listing phase: one loop pages through an instance's videos, channels and playlists alike, and writes each
// page as soon as it arrives (together with the pages other instances sent meanwhile), so what it lists is
// searchable at once (the details phase adds the full descriptions and tags later). Memory stays one page per
// instance, whatever its size: what is known already is looked up in the database page by page, not held in memory.
//
// A pass may span several turns: the cursor (kind, offset, last key written) is saved with every page, and the
// next turn continues from there. Continuing starts half a page early and checks that the last key written is on
// that first page: if the listing shifted further than that meanwhile, items may have been skipped, so the pass
// deletes nothing when it completes (the next pass will).
import type { ChannelRecord, PlaylistRecord, VideoRecord } from '../types.ts'
import type { Db } from '../db/open.ts'
import { listingHash, videoWriter, videosByUuid } from '../db/videos.ts'
import { rememberListingHash } from '../db/listing-values.ts'
import { channelWriter, channelsSeen, keepChannel } from '../db/channels.ts'
import { keepPlaylist, playlistWriter, playlistsByUuid } from '../db/playlists.ts'
import { instanceExists, savePassCursor, type PassCursor } from '../db/instances.ts'
import { blockedActors } from '../db/moderation.ts'
import { PAGE_SIZE, listingGuard, localDialect, type PeertubeClient } from './peertube.ts'
import { decodeListingPage } from './decode-thread.ts'
import type { DecodedPage } from './page-decoder.ts'
import { InstanceGone, StepError, isStorageFailure, step, type Turn } from './turn.ts'
import { channelRank, playlistRank, videoRank } from '../search/rank.ts'

type ActorBlocks = { accounts: Set<string>; channels: Set<string> }

/** What the index says about one listed item before its page is written. */
type Known = {
  /** Owned by the instance being crawled (false: another instance indexed this uuid first). */
  mine: boolean
  /** The owner's host, when it is another instance. */
  owner: string
  /** Already written by this pass (a listing that shifted shows it twice: the first occurrence wins). */
  seenInPass: boolean
  /** Listed with another updatedAt before: its details must be fetched again. */
  changed: boolean
  /** Listed exactly so before: marking it seen is all there is to write. */
  same: boolean
}

/** One kind of listing: how to fetch, read, look up and write its items. */
type ListingKind<R> = {
  name: PassCursor['kind']
  /** Fetches a page as bytes, decoded by page-decoder.ts (items normalised, keys read from the raw items). */
  fetch(client: PeertubeClient, start: number, version: string): Promise<Buffer>
  key(r: R): string
  known(db: Db, instanceId: number, stamp: number, records: R[]): Map<string, Known>
  blocked(b: ActorBlocks, r: R): boolean
  /** Writes items (of any instances) in the order given; for each, false when another instance owns it. */
  write(db: Db, items: { instanceId: number; r: R; stamp: number }[]): boolean[]
  /** The item's static rank (src/search/rank.ts), the high part of its full-text key. */
  rank(r: R): number
  /** Marks a known item that was unreadable this time as seen, so the pass does not delete it. */
  keep(db: Db, instanceId: number, key: string, stamp: number): void
  maxItems(turn: Turn): number
}

// Channel and playlist listings include the remote ones an instance follows, which can be many: bound them.
const MAX_SIDE_ITEMS = 50_000

const lower = (s: string) => s.toLowerCase()
const blockedVideo = (b: ActorBlocks, r: VideoRecord) => b.accounts.has(lower(r.account.name)) || b.channels.has(lower(r.channel.name))
const blockedChannel = (b: ActorBlocks, r: ChannelRecord) => b.channels.has(lower(r.name)) || b.accounts.has(lower(r.owner.name))
const blockedPlaylist = (b: ActorBlocks, r: PlaylistRecord) =>
  b.accounts.has(lower(r.owner.name)) || (r.channel !== null && b.channels.has(lower(r.channel.name)))

const VIDEOS: ListingKind<VideoRecord> = {
  name: 'videos',
  fetch: (client, start, version) => client.videos(start, localDialect(version)),
  key: (r) => r.uuid,
  known(db, instanceId, stamp, records) {
    const stored = videosByUuid(db, records.map((r) => r.uuid))
    const byUuid = new Map(records.map((r) => [r.uuid, r]))
    const out = new Map<string, Known>()
    for (const [uuid, k] of stored) {
      const mine = k.instanceId === instanceId
      const r = byUuid.get(uuid)!
      out.set(uuid, {
        mine,
        owner: k.host,
        seenInPass: mine && k.seenAt >= stamp,
        changed: k.updatedAt !== r.updatedAt,
        same: mine && k.listingHash === listingHash(instanceId, r),
      })
    }
    return out
  },
  blocked: blockedVideo,
  write: (db, items) => videoWriter(db).upsertMany(items.map(({ instanceId, r, stamp }) => ({ instanceId, record: r, now: stamp }))),
  rank: (r) => videoRank(r.views, r.likes, r.publishedAt),
  keep: (db, instanceId, uuid, stamp) => videoWriter(db).keep(instanceId, uuid, stamp),
  maxItems: (turn) => turn.config.crawl.maxVideosPerInstance,
}

const CHANNELS: ListingKind<ChannelRecord> = {
  name: 'channels',
  fetch: (client, start) => client.channels(start),
  key: (r) => r.name,
  known(db, instanceId, stamp, records) {
    const seen = channelsSeen(db, instanceId, records.map((r) => r.name))
    return new Map([...seen].map(([name, seenAt]) => [name, { mine: true, owner: '', seenInPass: seenAt >= stamp, changed: false, same: false }]))
  },
  blocked: blockedChannel,
  write: (db, items) => {
    const writer = channelWriter(db)
    return items.map(({ instanceId, r, stamp }) => (writer.upsert(instanceId, r, stamp), true))
  },
  rank: (r) => channelRank(r.followersCount),
  keep: keepChannel,
  maxItems: () => MAX_SIDE_ITEMS,
}

const PLAYLISTS: ListingKind<PlaylistRecord> = {
  name: 'playlists',
  fetch: (client, start) => client.playlists(start),
  key: (r) => r.uuid,
  known(db, instanceId, stamp, records) {
    const stored = playlistsByUuid(db, records.map((r) => r.uuid))
    return new Map(
      [...stored].map(([uuid, k]) => {
        const mine = k.instanceId === instanceId
        return [uuid, { mine, owner: k.host, seenInPass: mine && k.seenAt >= stamp, changed: false, same: false }]
      }),
    )
  },
  blocked: blockedPlaylist,
  write: (db, items) => {
    const writer = playlistWriter(db)
    return items.map(({ instanceId, r, stamp }) => writer.upsert(instanceId, r, stamp) !== 'conflict')
  },
  rank: (r) => playlistRank(r.videosLength),
  keep: (db, instanceId, uuid, stamp) => keepPlaylist(db, instanceId, uuid, stamp),
  maxItems: () => MAX_SIDE_ITEMS,
}

/** The listings of a pass, in the order a pass walks them. */
export const LISTINGS = [VIDEOS, CHANNELS, PLAYLISTS] as const

/** A fresh cursor at the start of a pass. */
export function passStart(): PassCursor {
  return { kind: 'videos', start: 0, last: null, sweep: true, listed: 0, skipped: 0, claimed: {} }
}

/** How a listing phase ended: the pass is complete, or the budget cut it short. */
export type ListingEnd = 'complete' | 'yielded'

/**
 * Continues (or starts) the pass from `cursor` through every listing, writing each page as it arrives; throws
 * StepError when the instance fails, InstanceGone when it was deleted meanwhile.
 */
export async function listPass(turn: Turn, stamp: number, cursor: PassCursor): Promise<ListingEnd> {
  let at = LISTINGS.findIndex((k) => k.name === cursor.kind)
  for (; at < LISTINGS.length; at++) {
    const kind = LISTINGS[at]! as ListingKind<unknown>
    if (cursor.kind !== kind.name) Object.assign(cursor, { kind: kind.name, start: 0, last: null, listed: 0 })
    const end = await listOne(turn, kind, stamp, cursor)
    if (end === 'yielded') return end
  }
  return 'complete'
}

// Pages read ahead of the writer. Each instance reads its next page while its current one waits to be written, and
// further ahead when few instances are listing: the shares come from one allowance for the whole process, so memory
// stays about two pages per listing instance however many there are. The pages an instance read meanwhile are
// written together, in one transaction: a transaction's fixed cost is most of a lone page's write (256 µs a video
// for pages committed alone, 137 in groups of 8 to 15 pages, bench:crawl's ingest, 2026-11-27). That happens when
// the host allows several requests at once (crawl.perHostConcurrency): with one, an instance's next answer waits for
// the writer's thread, so the few large instances left at the end of a crawl still commit a page at a time.
const SHARED_AHEAD = 32
const MAX_AHEAD = 8
let listingNow = 0

/** How many pages one instance may have read and not yet written. */
const aheadShare = () => Math.max(1, Math.min(MAX_AHEAD, Math.floor(SHARED_AHEAD / Math.max(1, listingNow))))

/** A page requested by a listing: its offset, the page once decoded, and what the guard said of it. */
type Read<R> = { start: number; page: Promise<DecodedPage<R>>; done: DecodedPage<R> | null; guarded: boolean; stop: string | null; last: boolean }

const okItems = (page: DecodedPage<unknown>) => page.items.filter((item) => item.n.kind === 'ok').length

async function listOne<R>(turn: Turn, kind: ListingKind<R>, stamp: number, cursor: PassCursor): Promise<ListingEnd> {
  listingNow++
  try {
    return await readAndWrite(turn, kind, stamp, cursor)
  } finally {
    listingNow--
  }
}

async function readAndWrite<R>(turn: Turn, kind: ListingKind<R>, stamp: number, cursor: PassCursor): Promise<ListingEnd> {
  const { client, inst, result } = turn
  const max = kind.maxItems(turn)
  const guard = listingGuard()
  // Continuing a pass: half a page of overlap, to see whether the listing shifted past what was written.
  let resumeKey = cursor.start > 0 ? cursor.last : null
  const load = (start: number) =>
    step(`listing ${kind.name}`, async () => (await decodeListingPage(kind.name, await kind.fetch(client, start, turn.version), inst, turn.instanceId)) as DecodedPage<R>)
  const isLast = (page: DecodedPage<R>, start: number) =>
    page.items.length < PAGE_SIZE || (page.total !== undefined && start + PAGE_SIZE >= page.total)
  // The pages read and not yet written, in listing order. The next page is requested once the one before it is
  // decoded; with crawl.perHostConcurrency above 1, the pages up to the listing's `total` (known from a first page)
  // are requested that many at once. Never past the last page, the cap (counting what is read and not yet written)
  // nor the budget. The guard sees the pages in listing order as they are decoded: one at a time, nothing is
  // requested after a page it stops (several at a time, those already under way are wasted, as are the pages read
  // after those of a failed write).
  const reads: Read<R>[] = []
  // The offset bounds the walk too (across turns), so that endless remote or invalid items cannot keep it going.
  let next = cursor.start > 0 ? Math.max(0, cursor.start - PAGE_SIZE / 2) : 0
  let inFlight = 0
  let total: number | undefined
  let ended = false
  let unwritten = 0
  const atOnce = turn.config.crawl.perHostConcurrency
  const guardInOrder = () => {
    for (const read of reads) {
      if (read.done === null) return
      if (read.guarded) continue
      read.guarded = true
      read.stop = guard(read.done.items.map((item) => item.guard), read.done.items.flatMap(({ n }) => (n.kind === 'malformed' ? [n.reason] : [])))
      read.last = isLast(read.done, read.start)
      if (read.stop !== null || read.last) ended = true
    }
  }
  const readMore = () => {
    while (!ended && reads.length < aheadShare() && (inFlight === 0 || (inFlight < atOnce && total !== undefined && next < total))) {
      if (cursor.listed + unwritten >= max || next >= 2 * max || turn.budget.spent()) return
      const read: Read<R> = { start: next, page: load(next), done: null, guarded: false, stop: null, last: false }
      next += PAGE_SIZE
      inFlight++
      reads.push(read)
      read.page.then(
        (page) => {
          inFlight--
          read.done = page
          unwritten += okItems(page)
          total = page.total ?? total
          guardInOrder()
          readMore()
        },
        // Thrown where the loop reaches this page, after the pages before it are written.
        () => {
          inFlight--
          ended = true
        },
      )
    }
  }
  for (;;) {
    if (reads.length === 0) {
      if (ended || cursor.listed >= max || next >= 2 * max) return 'complete'
      if (turn.budget.spent()) {
        cursor.start = next
        return 'yielded'
      }
      readMore()
      if (reads.length === 0) return 'complete'
    }
    // The first page read, and every page decoded after it meanwhile: written together.
    // (Shifted once decoded: the guard walks `reads` in order.) Nothing after a last page or one the guard stopped.
    const taken: Read<R>[] = []
    await reads[0]!.page
    while (reads[0]?.guarded) {
      const read = reads.shift()!
      taken.push(read)
      if (read.stop !== null || read.last) break
    }
    readMore()
    const records: R[] = []
    const invalid: string[] = []
    const unreadable: string[] = []
    const keys = new Set<string>()
    let stop: string | null = null
    let lastPage: Read<R> | null = null
    for (const read of taken) {
      // A page the guard stopped is not written.
      if (read.stop !== null) {
        stop = read.stop
        break
      }
      const page = read.done!
      for (const { n, raw, hash } of page.items) {
        if (hash !== null && n.kind === 'ok') rememberListingHash(n.record as VideoRecord, hash)
        if (n.kind === 'malformed') {
          invalid.push(n.reason)
          if (raw !== null) unreadable.push(raw)
        }
        // An item listed twice (a listing that shifted between two pages) is written at its first occurrence.
        if (n.kind !== 'ok' || keys.has(kind.key(n.record))) continue
        keys.add(kind.key(n.record))
        records.push(n.record)
      }
      if (resumeKey !== null && !page.items.some((item) => item.raw === resumeKey)) cursor.sweep = false
      resumeKey = null
      lastPage = read
    }
    // Decided before the write, so that the pages are not kept alive while they wait for their group to commit.
    const last = lastPage?.last ?? false
    const listingTotal = kind.name === 'videos' ? lastPage?.done!.total : undefined
    const after = lastPage === null ? null : lastPage.start + PAGE_SIZE
    const takenItems = taken.reduce((n, t) => n + okItems(t.done!), 0)
    lastPage = null
    taken.length = 0
    if (after !== null) {
      // Counted only once the pages committed: a write that fails (a full disk) counts nothing.
      const { tally, next: written } = await writePage({ turn, kind, stamp, cursor: { ...cursor, start: after }, records, unreadable, invalid: invalid.length, max, total: listingTotal })
      Object.assign(cursor, written)
      result.skipped += invalid.length
      if (kind.name === 'videos') {
        result.videos.new += tally.new
        result.videos.updated += tally.changed
      } else if (kind.name === 'channels') result.channels.new += tally.new
      else result.playlists.new += tally.new
      if (kind.name === 'videos') turn.progress({ phase: 'listing', listed: cursor.listed, listingTotal: listingTotal ?? null })
    }
    unwritten -= takenItems
    if (stop) throw new StepError(`listing ${kind.name}: ${stop}`)
    if (last) return 'complete'
    readMore()
  }
}

type PageTally = { new: number; changed: number }

/** One listing page to write, with the pass cursor that follows it. */
type PageWrite = {
  turn: Turn
  kind: ListingKind<unknown>
  stamp: number
  cursor: PassCursor
  records: unknown[]
  unreadable: string[]
  invalid: number
  max: number
  total: number | undefined
}

/** A page written: what it added, and the cursor saved with it. */
type PageDone = { tally: PageTally; next: PassCursor }

type Queued = { page: PageWrite; resolve(done: PageDone): void; reject(err: unknown): void }

// The pages that arrive in the same turn of the event loop, from every instance being listed, commit in one
// transaction (a group commit), their videos in a few statements (videoWriter.upsertMany): FTS5 writes a new
// segment at every statement and every commit that writes its table, and the B-trees rewrite their changed pages
// at every commit. One page a transaction, one statement a video, the listing ingest ran at 2,164 videos/s; so,
// 4,250–4,920 (bench:crawl, with openDb's bulkWrites settings). The busier the crawler, the more pages wait and the
// larger the group (5–6 pages on average in that benchmark); an idle crawler commits each page at once. Each
// instance's loop waits for its own page to commit.
const pending = new WeakMap<Db, Queued[]>()

const isBusy = (err: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown } | null)?.code ?? ''))

function writePage(page: PageWrite): Promise<PageDone> {
  const { db } = page.turn
  return new Promise((resolve, reject) => {
    let queue = pending.get(db)
    if (!queue) {
      const group: Queued[] = (queue = [])
      pending.set(db, group)
      setImmediate(() => {
        pending.delete(db)
        commitPages(db, group)
      })
    }
    queue.push({ page, resolve, reject })
  })
}

// One failing page must fail only its own instance: a group that throws is rolled back and its pages are written
// again one by one (InstanceGone is a page's answer, not a failure: the other pages of its group commit). A
// database that cannot be written, or that another process keeps locked past the busy timeout, fails the whole
// group at once: writing each page again would only make each of them wait or fail in turn.
function commitPages(db: Db, group: Queued[]): void {
  let outcomes: (PageDone | InstanceGone)[]
  try {
    outcomes = db.transaction(() => writePages(db, group.map((q) => q.page))).immediate()
  } catch (err) {
    if (group.length === 1 || isStorageFailure(err) || isBusy(err)) for (const q of group) q.reject(err)
    else for (const q of group) commitPages(db, [q])
    return
  }
  outcomes.forEach((o, i) => (o instanceof InstanceGone ? group[i]!.reject(o) : group[i]!.resolve(o)))
}

// The pages of a group in one IMMEDIATE transaction, each with the pass cursor that follows it: its instance must
// still exist (else nothing of that page is written and its loop ends with InstanceGone), and the blocks read here
// are those in force when the page commits: a block made by another process is either seen here or made after this
// page, and then deletes what it wrote.
function writePages(db: Db, pages: PageWrite[]): (PageDone | InstanceGone)[] {
  const plans = pages.map((p) => planPage(db, p))
  for (const kind of LISTINGS as readonly ListingKind<unknown>[]) {
    const items = plans.flatMap((plan, i) =>
      plan instanceof InstanceGone || pages[i]!.kind !== kind ? [] : plan.planned.map((w) => ({ ...w, page: i, plan })),
    )
    // What is listed exactly as before is only marked seen, first: those updates touch no full-text index.
    for (const { key, k, page } of items) if (k?.same) kind.keep(db, pages[page]!.turn.instanceId, key, pages[page]!.stamp)
    // Decided in listing order (the cursor follows the listing), written in full-text key order across the group:
    // FTS5 also writes what it holds as a new segment whenever a transaction writes a key below the previous one.
    const writes = items.filter(({ k }) => !k?.same).sort((a, b) => a.rank - b.rank)
    const written = kind.write(db, writes.map(({ r, page }) => ({ instanceId: pages[page]!.turn.instanceId, r, stamp: pages[page]!.stamp })))
    writes.forEach(({ key, plan }, i) => written[i] || plan.refused.add(key))
  }
  return plans.map((plan, i) => (plan instanceof InstanceGone ? plan : finishPage(db, pages[i]!, plan)))
}

type Plan = { planned: { r: unknown; key: string; k: Known | undefined; rank: number }[]; refused: Set<string>; next: PassCursor }

function planPage(db: Db, page: PageWrite): Plan | InstanceGone {
  const { turn, kind, stamp, cursor, records, unreadable, invalid, max } = page
  const { instanceId, inst } = turn
  if (!instanceExists(db, instanceId)) return new InstanceGone()
  const blocked = blockedActors(db, inst.host)
  const known = kind.known(db, instanceId, stamp, records)
  const next: PassCursor = { ...cursor, claimed: { ...cursor.claimed }, skipped: cursor.skipped + invalid }
  for (const key of unreadable) kind.keep(db, instanceId, key, stamp)
  const planned: Plan['planned'] = []
  let listed = next.listed
  for (const r of records) {
    if (listed >= max) break
    const key = kind.key(r)
    const k = known.get(key)
    if (k?.seenInPass || kind.blocked(blocked, r)) continue
    if (k && !k.mine) {
      next.claimed[k.owner] = (next.claimed[k.owner] ?? 0) + 1
      continue
    }
    planned.push({ r, key, k, rank: kind.rank(r) })
    listed++
  }
  return { planned, refused: new Set(), next }
}

function finishPage(db: Db, page: PageWrite, { planned, refused, next }: Plan): PageDone {
  const tally: PageTally = { new: 0, changed: 0 }
  for (const { key, k } of planned) {
    if (refused.has(key)) continue
    next.listed++
    next.last = key
    if (!k) tally.new++
    else if (k.changed) tally.changed++
  }
  savePassCursor(db, page.turn.instanceId, next, page.total)
  return { tally, next }
}
