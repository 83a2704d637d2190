// `sepia instances discover`: hosts that indexed instances follow or are followed by (PeerTube's
// /api/v1/server/following and /followers, contract §3.7), proposed to the admin for review. Nothing is indexed
// and nothing is written: the admin decides with `sepia instances add`.
import * as v from 'valibot'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'
import { allInstances } from '../db/instances.ts'
import { adminHosts, allBlocks } from '../db/moderation.ts'
import { CrawlAborted, createFetcher, FetchError, type Fetcher } from './http.ts'
import { InvalidResponse, PAGE_SIZE, PageSchema } from './peertube.ts'
import { fetchRobots, robotsRefusal } from './robots.ts'

/** Which follow list a host was seen in: the source instance's followers, or those it follows. */
export type Relation = 'follower' | 'following'

/** A host worth a look, with the indexed instances that know it. */
export type Proposal = { host: string; seenBy: { instance: string; relation: Relation }[] }

/** What reading one indexed instance's follow lists gave. */
export type DiscoverSource = { host: string; followers: number; following: number; error: string | null }

/** The proposals, most-connected first, and how each indexed instance answered. */
export type DiscoverResult = { proposals: Proposal[]; sources: DiscoverSource[] }

// Same rule as the instance list and the configuration: a lower-case host with an optional port.
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/
const ActorHost = v.object({ host: v.pipe(v.string(), v.toLowerCase(), v.maxLength(253), v.regex(HOST)) })
const FollowSchema = v.object({
  follower: v.optional(ActorHost),
  following: v.optional(ActorHost),
  state: v.nullish(v.string()),
})

/** Options: how many pages of each list to read per instance (100 follows a page). */
export type DiscoverOptions = { db: Db; config: Config; maxPages?: number; signal?: AbortSignal }

/** Reads the follow lists of every indexed instance and proposes the hosts Sepia does not know yet. */
export async function discoverInstances(opts: DiscoverOptions): Promise<DiscoverResult> {
  const { db, config } = opts
  const maxPages = opts.maxPages ?? 10
  const fetcher = createFetcher(config.crawl, opts.signal)
  try {
    const sources = allInstances(db).filter((i) => i.refused === null)
    const seen = new Map<string, Proposal['seenBy']>()
    const results: DiscoverSource[] = []
    let next = 0
    const worker = async () => {
      while (next < sources.length) {
        const source = sources[next++]!
        results.push(await readFollows(fetcher, config, source.host, maxPages, seen))
      }
    }
    await Promise.all(Array.from({ length: Math.min(config.crawl.concurrency, sources.length) }, worker))

    // Known hosts are not news; blocked ones were already decided against.
    const known = new Set<string>([
      ...allInstances(db).map((i) => i.host),
      ...adminHosts(db).map((h) => h.host),
      ...allBlocks(db).filter((b) => b.kind === 'host').map((b) => b.host),
      ...config.instances.hosts,
      ...config.instances.blocked,
    ])
    const proposals = [...seen.entries()]
      .filter(([host]) => !known.has(host))
      .map(([host, seenBy]) => ({ host, seenBy: seenBy.sort((a, b) => a.instance.localeCompare(b.instance) || a.relation.localeCompare(b.relation)) }))
      .sort((a, b) => new Set(b.seenBy.map((s) => s.instance)).size - new Set(a.seenBy.map((s) => s.instance)).size || a.host.localeCompare(b.host))
    return { proposals, sources: results.sort((a, b) => a.host.localeCompare(b.host)) }
  } finally {
    await fetcher.close().catch(() => {})
  }
}

async function readFollows(fetcher: Fetcher, config: Config, host: string, maxPages: number, seen: Map<string, Proposal['seenBy']>): Promise<DiscoverSource> {
  const result: DiscoverSource = { host, followers: 0, following: 0, error: null }
  const origin = fetcher.originOf(host)
  try {
    const refusal = robotsRefusal(await fetchRobots(fetcher, origin), config.crawl.userAgent, ['/api/v1/server/followers', '/api/v1/server/following'])
    if (refusal) {
      result.error = refusal
      return result
    }
    for (const direction of ['followers', 'following'] as const) {
      const relation: Relation = direction === 'followers' ? 'follower' : 'following'
      for (let start = 0, page = 0; page < maxPages; start += PAGE_SIZE, page++) {
        const url = new URL(`/api/v1/server/${direction}`, origin)
        url.searchParams.set('start', String(start))
        url.searchParams.set('count', String(PAGE_SIZE))
        url.searchParams.set('sort', '-createdAt')
        const parsed = v.safeParse(PageSchema, await fetcher.getJson(url.toString()))
        if (!parsed.success) throw new InvalidResponse(`answered something that is not a list of follows`)
        for (const item of parsed.output.data) {
          const follow = v.safeParse(FollowSchema, item)
          if (!follow.success || (follow.output.state && follow.output.state !== 'accepted')) continue
          const other = direction === 'followers' ? follow.output.follower?.host : follow.output.following?.host
          if (!other || other === host) continue
          result[direction]++
          let list = seen.get(other)
          if (!list) seen.set(other, (list = []))
          if (!list.some((s) => s.instance === host && s.relation === relation)) list.push({ instance: host, relation })
        }
        const { data, total } = parsed.output
        if (data.length < PAGE_SIZE || (total !== undefined && start + PAGE_SIZE >= total)) break
      }
    }
  } catch (err) {
    if (err instanceof CrawlAborted) throw err
    result.error = err instanceof FetchError || err instanceof InvalidResponse ? err.message : `internal error: ${(err as Error).message}`
  }
  return result
}
