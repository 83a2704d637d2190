// Crawling one instance: the single unit of work that both the scheduler and `sepia crawl` run (through
// runCrawl). Order of work: fetch a page, validate and normalise it, then write it in one synchronous
// transaction (never an await inside). Each page is committed on its own, so the index stays searchable and a
// crash loses at most a page; only a complete crawl deletes what it did not see, so a failed or interrupted one
// never loses indexed content, and the next crawl repairs whatever a crash left half done.
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import type { ChannelRecord, PlaylistRecord, VideoRecord } from '../types.ts'
import { videoDetailsState, videoWriter } from '../db/videos.ts'
import { channelWriter } from '../db/channels.ts'
import { playlistWriter } from '../db/playlists.ts'
import {
  beginInstanceCrawl, failInstanceCrawl, finishInstanceCrawl, instanceByHost, instanceExists, refuseInstanceCrawl, setInstanceInfo,
  type CrawlCost,
} from '../db/instances.ts'
import { blockedActors } from '../db/moderation.ts'
import { CrawlAborted, FetchError, type Fetcher } from './http.ts'
import {
  InvalidResponse, PAGE_SIZE, actorKey, listingGuard, localDialect, peertubeClient, uuidKey, versionBelow, type Page, type PeertubeClient,
} from './peertube.ts'
import {
  normalizeChannel, normalizeDescription, normalizePlaylist, normalizeTags, normalizeVideo, type InstanceRef,
} from './normalize.ts'
import { robotsCache, robotsRefusal, type RobotsFile } from './robots.ts'

/**
 * What one instance's crawl did; `status` 'stopped' means the crawl was asked to stop before the end (or the
 * instance was blocked meanwhile), 'refused' that its robots.txt disallows us (its content is then removed).
 */
export type InstanceCrawlResult = {
  host: string
  status: 'ok' | 'failed' | 'refused' | 'stopped'
  /** Why it failed, in a few words ("listing videos: answered HTTP 503"). */
  error: string | null
  version: string | null
  videos: { total: number; new: number; updated: number; removed: number }
  channels: { total: number; new: number; removed: number }
  playlists: { total: number; new: number; removed: number }
  /** Items that failed validation (or claimed another instance's uuid) and were left out. */
  skipped: number
  /** Video details requests made (new or changed videos only). */
  details: number
  requests: number
  durationMs: number
}

/** What crawlInstance needs: the database, the configuration, the run's fetcher and its robots.txt cache. */
export type CrawlDeps = { db: Db; config: Config; fetcher: Fetcher; robots?: (host: string) => Promise<RobotsFile> }

// Channel and playlist listings include the remote ones an instance follows, which can be many: bound them.
const MAX_SIDE_PAGES = 500

/** A result with nothing done yet: the start of every crawl's tally, and the answer for a host never crawled. */
export function emptyResult(host: string, status: InstanceCrawlResult['status'] = 'ok', error: string | null = null): InstanceCrawlResult {
  return {
    host,
    status,
    error,
    version: null,
    videos: { total: 0, new: 0, updated: 0, removed: 0 },
    channels: { total: 0, new: 0, removed: 0 },
    playlists: { total: 0, new: 0, removed: 0 },
    skipped: 0,
    details: 0,
    requests: 0,
    durationMs: 0,
  }
}

/** Crawls one instance completely (or records why it could not) and returns what it did. */
export async function crawlInstance(deps: CrawlDeps, instance: { id: number; host: string }): Promise<InstanceCrawlResult> {
  const { db, fetcher } = deps
  const started = Date.now()
  const requestsBefore = fetcher.requestCount(instance.host)
  const result = emptyResult(instance.host)
  if (!instanceExists(db, instance.id)) return gone(result)
  const stamp = beginInstanceCrawl(db, instance.id, started)
  const client = peertubeClient(fetcher, instance.host)
  const robots = deps.robots ?? robotsCache(fetcher)
  const inst: InstanceRef = { host: instance.host, origin: client.origin }
  const cost = (): CrawlCost => ({
    skipped: result.skipped,
    durationMs: (result.durationMs = Date.now() - started),
    requests: (result.requests = fetcher.requestCount(instance.host) - requestsBefore),
  })
  const ctx: Ctx = { ...deps, client, inst, stamp, instanceId: instance.id, result }
  try {
    // Consent first: nothing but robots.txt is requested from an instance that disallows us.
    const robotsFile = await robots(instance.host)
    refuseIfDisallowed(robotsFile, deps.config, ['/api/v1/config'])
    const config = await step('reading /api/v1/config', () => client.config())
    result.version = config.serverVersion.slice(0, 40)
    refuseIfDisallowed(robotsFile, deps.config, crawlPaths(result.version))
    setInstanceInfo(db, instance.id, {
      name: config.instance?.name?.slice(0, 250) ?? null,
      shortDescription: config.instance?.shortDescription?.slice(0, 1000) ?? null,
      version: result.version,
    })
    await crawlVideos(ctx)
    await crawlChannels(ctx)
    await crawlPlaylists(ctx)
    const removed = finishInstanceCrawl(db, instance.id, stamp, cost())
    result.videos.removed = removed.videos
    result.channels.removed = removed.channels
    result.playlists.removed = removed.playlists
  } catch (err) {
    if (err instanceof CrawlAborted) {
      // Not the instance's fault: nothing is recorded against it, and a resumed run crawls it again.
      result.status = 'stopped'
      result.error = 'stopped before the end'
      cost()
    } else if (err instanceof InstanceGone) {
      gone(result)
      cost()
    } else if (err instanceof Refused) {
      result.status = 'refused'
      result.error = err.message
      refuseInstanceCrawl(db, instance.id, err.message, cost())
    } else {
      result.status = 'failed'
      // A StepError is the instance's doing; anything else is ours (a bug, a full disk): say so, briefly.
      result.error = err instanceof StepError ? err.message : `internal error: ${(err as Error).message}`
      failInstanceCrawl(db, instance.id, result.error, cost())
    }
  }
  const row = instanceByHost(db, instance.host)
  result.videos.total = row?.videosCount ?? 0
  result.channels.total = row?.channelsCount ?? 0
  result.playlists.total = row?.playlistsCount ?? 0
  return result
}

type Ctx = CrawlDeps & { client: PeertubeClient; inst: InstanceRef; stamp: number; instanceId: number; result: InstanceCrawlResult }

// The instance was deleted by another process (`sepia instances block` or `remove`) while we crawled it.
class InstanceGone extends Error {}

function gone(result: InstanceCrawlResult): InstanceCrawlResult {
  result.status = 'stopped'
  result.error = 'blocked or removed from the index during its crawl'
  return result
}

// Its robots.txt disallows a request we need: we do not crawl it.
class Refused extends Error {}

function refuseIfDisallowed(file: RobotsFile, config: Config, paths: readonly string[]): void {
  const refusal = robotsRefusal(file, config.crawl.userAgent, paths)
  if (refusal) throw new Refused(refusal)
}

// The requests a crawl makes, as robots.txt sees them (a uuid stands for every video's details).
function crawlPaths(version: string): string[] {
  const local = localDialect(version) === 'filter' ? 'filter=local' : 'isLocal=true'
  const video = '/api/v1/videos/9c9de5e8-0a1e-484a-b099-e80766180a6d'
  return [
    `/api/v1/videos?${local}&nsfw=both&sort=-publishedAt&start=0&count=${PAGE_SIZE}`,
    video,
    ...(versionBelow(version, 5) ? [`${video}/description`] : []),
    `/api/v1/video-channels?sort=createdAt&start=0&count=${PAGE_SIZE}`,
    `/api/v1/video-playlists?playlistType=1&sort=createdAt&start=0&count=${PAGE_SIZE}`,
  ]
}

type ActorBlocks = { accounts: Set<string>; channels: Set<string> }

/**
 * Starts a write transaction's work: the instance must still exist (else InstanceGone rolls the page back), and
 * the blocks read here are the ones in force when the page commits, since the transaction is IMMEDIATE: a block
 * made by another process is either seen here or made after this page, and then deletes what it wrote.
 */
function writeGuard(ctx: Ctx): ActorBlocks {
  if (!instanceExists(ctx.db, ctx.instanceId)) throw new InstanceGone()
  return blockedActors(ctx.db, ctx.inst.host)
}

const blockedVideo = (b: ActorBlocks, r: VideoRecord) => b.accounts.has(r.account.name.toLowerCase()) || b.channels.has(r.channel.name.toLowerCase())
const blockedChannel = (b: ActorBlocks, r: ChannelRecord) => b.channels.has(r.name.toLowerCase()) || b.accounts.has(r.owner.name.toLowerCase())
const blockedPlaylist = (b: ActorBlocks, r: PlaylistRecord) =>
  b.accounts.has(r.owner.name.toLowerCase()) || (r.channel !== null && b.channels.has(r.channel.name.toLowerCase()))

// A failure of the instance (HTTP or shape), with the step it happened in: "listing videos: answered HTTP 503".
class StepError extends Error {}

async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof FetchError || err instanceof InvalidResponse) throw new StepError(`${what}: ${err.message}`)
    throw err
  }
}

function isLastPage(page: Page, start: number): boolean {
  return page.data.length < PAGE_SIZE || (page.total !== undefined && start + PAGE_SIZE >= page.total)
}

// Errors of a batch of parallel requests: wait for all of them (none keeps running unseen), then throw the first.
async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks)
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) throw (failed as PromiseRejectedResult).reason
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value)
}

type Details = { description: string | null; tags: string[] } | 'gone' | null

async function crawlVideos(ctx: Ctx): Promise<void> {
  const { db, client, inst, result, config } = ctx
  const version = result.version ?? ''
  const dialect = localDialect(version)
  const fullDescriptionElsewhere = versionBelow(version, 5)
  // What the index already holds: a video whose listing updatedAt moved since its details were fetched changed.
  const known = videoDetailsState(db, ctx.instanceId)
  const writer = videoWriter(db)
  const seen = new Set<string>()
  const max = config.crawl.maxVideosPerInstance

  const details = async (r: VideoRecord): Promise<Details> => {
    result.details++
    try {
      const d = await client.videoDetails(r.uuid)
      if (d.uuid.toLowerCase() !== r.uuid) throw new InvalidResponse('answered the details of another video')
      let description = d.description ?? null
      // Before 5.0, details carry the same truncated text as the listing; the full one is a request away.
      if (fullDescriptionElsewhere && description?.endsWith('...')) {
        description = (await client.videoDescription(r.uuid)).description ?? description
      }
      return { description: normalizeDescription(description), tags: normalizeTags(d.tags) }
    } catch (err) {
      // Deleted, or made private, since the listing: not indexable any more.
      if (err instanceof FetchError && (err.status === 403 || err.status === 404 || err.status === 410)) return 'gone'
      if (err instanceof InvalidResponse) {
        result.skipped++
        return null
      }
      throw err
    }
  }

  const guard = listingGuard(uuidKey)
  // Listed items count too, so that endless remote or invalid items cannot keep the loop going.
  for (let start = 0; seen.size < max && start < 2 * max; start += PAGE_SIZE) {
    const page = await step('listing videos', () => client.videos(start, dialect))
    const records: VideoRecord[] = []
    const invalid: string[] = []
    const unreadable: string[] = []
    for (const raw of page.data) {
      const n = normalizeVideo(raw, inst)
      if (n.kind === 'malformed') {
        result.skipped++
        invalid.push(n.reason)
        // A known video that cannot be read this time keeps its indexed version instead of being deleted.
        const uuid = uuidKey(raw)
        if (uuid && known.has(uuid)) unreadable.push(uuid)
      }
      // A listing that shifts while we page through it shows some videos twice: keep the first.
      if (n.kind !== 'ok' || seen.has(n.record.uuid) || seen.size >= max) continue
      seen.add(n.record.uuid)
      records.push(n.record)
    }
    const stop = guard(page.data, invalid)
    if (stop) throw new StepError(`listing videos: ${stop}`)
    // Blocked accounts' and channels' videos cost no details request (the write below checks blocks again).
    const before = blockedActors(db, inst.host)
    const changed = records.filter((r) => known.get(r.uuid) !== r.updatedAt && !blockedVideo(before, r))
    const fetched = await step('fetching video details', () => settleAll(changed.map(async (r) => [r.uuid, await details(r)] as const)))
    const byUuid = new Map<string, Details>(fetched)
    db.transaction(() => {
      const blocked = writeGuard(ctx)
      for (const uuid of unreadable) writer.keep(ctx.instanceId, uuid, ctx.stamp)
      for (const r of records) {
        const d = byUuid.get(r.uuid) ?? null
        if (d === 'gone' || blockedVideo(blocked, r)) continue
        if (!writer.upsert(ctx.instanceId, r, ctx.stamp, d)) {
          result.skipped++ // the uuid belongs to another instance
          continue
        }
        if (!known.has(r.uuid)) result.videos.new++
        else if (byUuid.has(r.uuid)) result.videos.updated++
      }
    }).immediate()
    if (isLastPage(page, start)) break
  }
}

async function crawlChannels(ctx: Ctx): Promise<void> {
  const { db, client, inst, result } = ctx
  const writer = channelWriter(db)
  const seen = new Set<string>()
  const guard = listingGuard(actorKey)
  for (let start = 0, n = 0; n < MAX_SIDE_PAGES; start += PAGE_SIZE, n++) {
    const page = await step('listing channels', () => client.channels(start))
    const records: ChannelRecord[] = []
    const invalid: string[] = []
    for (const raw of page.data) {
      const c = normalizeChannel(raw, inst)
      if (c.kind === 'malformed') {
        result.skipped++
        invalid.push(c.reason)
      }
      if (c.kind !== 'ok' || seen.has(c.record.name)) continue
      seen.add(c.record.name)
      records.push(c.record)
    }
    const stop = guard(page.data, invalid)
    if (stop) throw new StepError(`listing channels: ${stop}`)
    db.transaction(() => {
      const blocked = writeGuard(ctx)
      for (const r of records) if (!blockedChannel(blocked, r) && writer.upsert(ctx.instanceId, r, ctx.stamp)) result.channels.new++
    }).immediate()
    if (isLastPage(page, start)) break
  }
}

async function crawlPlaylists(ctx: Ctx): Promise<void> {
  const { db, client, inst, result } = ctx
  const writer = playlistWriter(db)
  const seen = new Set<string>()
  const guard = listingGuard(uuidKey)
  for (let start = 0, n = 0; n < MAX_SIDE_PAGES; start += PAGE_SIZE, n++) {
    const page = await step('listing playlists', () => client.playlists(start))
    const records: PlaylistRecord[] = []
    const invalid: string[] = []
    for (const raw of page.data) {
      const p = normalizePlaylist(raw, inst)
      if (p.kind === 'malformed') {
        result.skipped++
        invalid.push(p.reason)
      }
      if (p.kind !== 'ok' || seen.has(p.record.uuid)) continue
      seen.add(p.record.uuid)
      records.push(p.record)
    }
    const stop = guard(page.data, invalid)
    if (stop) throw new StepError(`listing playlists: ${stop}`)
    db.transaction(() => {
      const blocked = writeGuard(ctx)
      for (const r of records) {
        if (blockedPlaylist(blocked, r)) continue
        const outcome = writer.upsert(ctx.instanceId, r, ctx.stamp)
        if (outcome === 'conflict') result.skipped++
        else if (outcome === 'new') result.playlists.new++
      }
    }).immediate()
    if (isLastPage(page, start)) break
  }
}
