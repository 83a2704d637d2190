// The requests Sepia makes to a PeerTube instance (shared/docs/peertube-api-contract.md §3), and the schemas of
// the answers that are not items: the page envelope and the server config. Items are checked one by one against
// the schemas beside their normalisers (items/), so that one bad item is skipped instead of failing its page.
import * as v from 'valibot'
import type { Fetcher } from './http.ts'
import { DescriptionSchema, VideoDetailsSchema } from './items/video.ts'

const num = v.pipe(v.number(), v.finite())

/**
 * PeerTube's ResultList: `total` is absent with skipCount; items are validated one by one later. A `total` that
 * is not a number only loses its hint (the last page is then the first short one), not the page.
 */
export const PageSchema = v.object({
  total: v.fallback(v.optional(num), undefined),
  data: v.array(v.unknown()),
})

/** GET /api/v1/config, the fields the crawler uses. */
export const ServerConfigSchema = v.object({
  serverVersion: v.string(),
  instance: v.optional(v.object({ name: v.nullish(v.string()), shortDescription: v.nullish(v.string()) })),
})
/** A validated server config. */
export type ServerConfig = v.InferOutput<typeof ServerConfigSchema>

/** The key that identifies a listed video or playlist across pages (its uuid), if it has one. */
export function uuidKey(item: unknown): string | null {
  const uuid = (item as { uuid?: unknown } | null)?.uuid
  return typeof uuid === 'string' ? uuid.toLowerCase() : null
}

/** The key that identifies a listed channel across pages (name@host), if it has one. */
export function actorKey(item: unknown): string | null {
  const { name, host } = (item ?? {}) as { name?: unknown; host?: unknown }
  return typeof name === 'string' && typeof host === 'string' ? `${name}@${host}`.toLowerCase() : null
}

// How many recent pages the listing guard remembers: enough to see a page served twice or a short cycle, while its
// memory stays bounded whatever the size of the instance (longer cycles end at the listing's item cap).
const GUARD_PAGES = 10

/**
 * Watches one paged listing for the two ways an instance can keep a crawler busy or make it drop content: pages
 * of nothing but invalid items (a broken or hostile instance, not noise: indexing "nothing" would delete what it
 * had), and pages that bring nothing new (the same page again and again, a `total` that never ends). Returns
 * why the listing must stop, or null.
 */
export function listingGuard() {
  const recent: Set<string>[] = []
  /** `itemKeys`: each item's identity (page-decoder.ts), null when it has none. */
  return (itemKeys: (string | null)[], invalidReasons: string[]): string | null => {
    if (itemKeys.length === 0) return null
    if (invalidReasons.length === itemKeys.length) return `answered only invalid items (${invalidReasons[0]})`
    const keys = new Set<string>()
    for (const key of itemKeys) if (key !== null) keys.add(key)
    const fresh = [...keys].filter((k) => !recent.some((page) => page.has(k))).length
    recent.push(keys)
    if (recent.length > GUARD_PAGES) recent.shift()
    return keys.size > 0 && fresh === 0 ? 'answered a page of items it had already sent (its pagination never ends)' : null
  }
}

/** The largest page PeerTube serves: it answers 400 to count > 100 instead of clamping. */
export const PAGE_SIZE = 100

/** How to ask an instance for its local videos: `filter=local` before 4.0, `isLocal=true` since (6.0 rejects filter). */
export type LocalDialect = 'filter' | 'isLocal'

/** Picks the local-videos dialect from serverVersion; an unreadable version is taken as a modern one. */
export function localDialect(serverVersion: string): LocalDialect {
  const major = Number.parseInt(serverVersion, 10)
  return Number.isFinite(major) && major < 4 ? 'filter' : 'isLocal'
}

/** True when the version is below `major.minor` (unreadable versions count as new). */
export function versionBelow(serverVersion: string, major: number, minor = 0): boolean {
  const m = /^(\d+)\.(\d+)/.exec(serverVersion)
  if (!m) return false
  const [a, b] = [Number(m[1]), Number(m[2])]
  return a < major || (a === major && b < minor)
}

/** Thrown when an instance's answer does not have the expected shape; the message names what was wrong. */
export class InvalidResponse extends Error {
  override name = 'InvalidResponse'
}

/** Validates an answer against its schema; throws InvalidResponse naming what was wrong. */
export function parseAnswer<S extends v.GenericSchema>(schema: S, data: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, data)
  if (result.success) return result.output
  const issue = result.issues[0]
  const where = issue ? v.getDotPath(issue) : null
  throw new InvalidResponse(`answered an invalid ${what}${where ? ` (${where}: ${issue!.message})` : ''}`)
}

/** The requests Sepia makes to one instance. */
export function peertubeClient(fetcher: Fetcher, host: string) {
  const origin = fetcher.originOf(host)
  const url = (path: string, query: Record<string, string | number>) => {
    const u = new URL(path, origin)
    for (const [k, val] of Object.entries(query)) u.searchParams.set(k, String(val))
    return u.toString()
  }
  const get = (path: string, query: Record<string, string | number> = {}) => fetcher.getJson(url(path, query))
  // Listing pages come as bytes: they are parsed and checked item by item off the writer's thread (page-decoder.ts).
  const page = (path: string, query: Record<string, string | number>) => fetcher.getJsonBytes(url(path, query))
  return {
    origin,
    async config(): Promise<ServerConfig> {
      return parseAnswer(ServerConfigSchema, await get('/api/v1/config'), 'server config')
    },
    /** One page of the instance's local, public videos, newest first, NSFW included (bytes: page-decoder.ts). */
    videos(start: number, dialect: LocalDialect): Promise<Buffer> {
      const local: Record<string, string> = dialect === 'filter' ? { filter: 'local' } : { isLocal: 'true' }
      return page('/api/v1/videos', { ...local, nsfw: 'both', sort: '-publishedAt', start, count: PAGE_SIZE })
    },
    async videoDetails(uuid: string) {
      return parseAnswer(VideoDetailsSchema, await get(`/api/v1/videos/${uuid}`), 'video')
    },
    async videoDescription(uuid: string) {
      return parseAnswer(DescriptionSchema, await get(`/api/v1/videos/${uuid}/description`), 'video description')
    },
    /** One page of the channels the instance knows (local and remote: filter on host), as bytes. */
    channels(start: number): Promise<Buffer> {
      return page('/api/v1/video-channels', { sort: 'createdAt', start, count: PAGE_SIZE })
    },
    /** One page of the public regular playlists the instance knows (local and remote: filter on host), as bytes. */
    playlists(start: number): Promise<Buffer> {
      return page('/api/v1/video-playlists', { playlistType: 1, sort: 'createdAt', start, count: PAGE_SIZE })
    },
  }
}

/** The client for one instance. */
export type PeertubeClient = ReturnType<typeof peertubeClient>
