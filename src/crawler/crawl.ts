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
  beginInstanceCrawl, failInstanceCrawl, finishInstanceCrawl, instanceByHost, setInstanceInfo, type CrawlCost,
} from '../db/instances.ts'
import { CrawlAborted, FetchError, type Fetcher } from './http.ts'
import { InvalidResponse, PAGE_SIZE, localDialect, peertubeClient, versionBelow, type Page, type PeertubeClient } from './peertube.ts'
import {
  normalizeChannel, normalizeDescription, normalizePlaylist, normalizeTags, normalizeVideo, type InstanceRef,
} from './normalize.ts'

/** What one instance's crawl did; `status` 'stopped' means the crawl was asked to stop before the end. */
export type InstanceCrawlResult = {
  host: string
  status: 'ok' | 'failed' | 'stopped'
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

/** What crawlInstance needs: the database, the configuration and the run's fetcher. */
export type CrawlDeps = { db: Db; config: Config; fetcher: Fetcher }

// Channel and playlist listings include the remote ones an instance follows, which can be many: bound them.
const MAX_SIDE_PAGES = 500

/** Crawls one instance completely (or records why it could not) and returns what it did. */
export async function crawlInstance(deps: CrawlDeps, instance: { id: number; host: string }): Promise<InstanceCrawlResult> {
  const { db, fetcher } = deps
  const started = Date.now()
  const requestsBefore = fetcher.requestCount(instance.host)
  const result: InstanceCrawlResult = {
    host: instance.host,
    status: 'ok',
    error: null,
    version: null,
    videos: { total: 0, new: 0, updated: 0, removed: 0 },
    channels: { total: 0, new: 0, removed: 0 },
    playlists: { total: 0, new: 0, removed: 0 },
    skipped: 0,
    details: 0,
    requests: 0,
    durationMs: 0,
  }
  const stamp = beginInstanceCrawl(db, instance.id, started)
  const client = peertubeClient(fetcher, instance.host)
  const inst: InstanceRef = { host: instance.host, origin: client.origin }
  const cost = (): CrawlCost => ({
    skipped: result.skipped,
    durationMs: (result.durationMs = Date.now() - started),
    requests: (result.requests = fetcher.requestCount(instance.host) - requestsBefore),
  })
  const ctx: Ctx = { ...deps, client, inst, stamp, instanceId: instance.id, result }
  try {
    const config = await step('reading /api/v1/config', () => client.config())
    result.version = config.serverVersion.slice(0, 40)
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

  for (let start = 0; seen.size < max; start += PAGE_SIZE) {
    const page = await step('listing videos', () => client.videos(start, dialect))
    const records: VideoRecord[] = []
    for (const raw of page.data) {
      const n = normalizeVideo(raw, inst)
      if (n.kind === 'malformed') result.skipped++
      // A listing that shifts while we page through it shows some videos twice: keep the first.
      if (n.kind !== 'ok' || seen.has(n.record.uuid) || seen.size >= max) continue
      seen.add(n.record.uuid)
      records.push(n.record)
    }
    const changed = records.filter((r) => known.get(r.uuid) !== r.updatedAt)
    const fetched = await step('fetching video details', () => settleAll(changed.map(async (r) => [r.uuid, await details(r)] as const)))
    const byUuid = new Map<string, Details>(fetched)
    db.transaction(() => {
      for (const r of records) {
        const d = byUuid.get(r.uuid) ?? null
        if (d === 'gone') continue
        if (!writer.upsert(ctx.instanceId, r, ctx.stamp, d)) {
          result.skipped++ // the uuid belongs to another instance
          continue
        }
        if (!known.has(r.uuid)) result.videos.new++
        else if (byUuid.has(r.uuid)) result.videos.updated++
      }
    })()
    if (isLastPage(page, start)) break
  }
}

async function crawlChannels(ctx: Ctx): Promise<void> {
  const { db, client, inst, result } = ctx
  const writer = channelWriter(db)
  const seen = new Set<string>()
  for (let start = 0, n = 0; n < MAX_SIDE_PAGES; start += PAGE_SIZE, n++) {
    const page = await step('listing channels', () => client.channels(start))
    const records: ChannelRecord[] = []
    for (const raw of page.data) {
      const c = normalizeChannel(raw, inst)
      if (c.kind === 'malformed') result.skipped++
      if (c.kind !== 'ok' || seen.has(c.record.name)) continue
      seen.add(c.record.name)
      records.push(c.record)
    }
    db.transaction(() => {
      for (const r of records) if (writer.upsert(ctx.instanceId, r, ctx.stamp)) result.channels.new++
    })()
    if (isLastPage(page, start)) break
  }
}

async function crawlPlaylists(ctx: Ctx): Promise<void> {
  const { db, client, inst, result } = ctx
  const writer = playlistWriter(db)
  const seen = new Set<string>()
  for (let start = 0, n = 0; n < MAX_SIDE_PAGES; start += PAGE_SIZE, n++) {
    const page = await step('listing playlists', () => client.playlists(start))
    const records: PlaylistRecord[] = []
    for (const raw of page.data) {
      const p = normalizePlaylist(raw, inst)
      if (p.kind === 'malformed') result.skipped++
      if (p.kind !== 'ok' || seen.has(p.record.uuid)) continue
      seen.add(p.record.uuid)
      records.push(p.record)
    }
    db.transaction(() => {
      for (const r of records) {
        const outcome = writer.upsert(ctx.instanceId, r, ctx.stamp)
        if (outcome === 'conflict') result.skipped++
        else if (outcome === 'new') result.playlists.new++
      }
    })()
    if (isLastPage(page, start)) break
  }
}
