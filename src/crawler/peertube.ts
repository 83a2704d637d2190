// What Sepia reads from a PeerTube instance, as valibot schemas, and the requests that fetch it
// (shared/docs/peertube-api-contract.md §3). Schemas accept every API generation from 2.x to 8.x: old and new
// field names are optional side by side, unknown fields are ignored, and nothing is trusted to be the right
// size (normalize.ts caps lengths). Only the page envelope is fatal when wrong; items are checked one by one.
import * as v from 'valibot'
import type { Fetcher } from './http.ts'
import { isUuid } from '../short-uuid.ts'

const str = v.string()
const optStr = v.nullish(v.string())
const num = v.pipe(v.number(), v.finite())
const date = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
)

/** An avatar or banner in any version: `path` always (until 8.x deprecates it), `fileUrl` from 7.1. */
export const ImageSchema = v.object({
  width: v.nullish(num),
  height: v.nullish(num),
  path: optStr,
  fileUrl: optStr,
  url: optStr,
  createdAt: optStr,
  updatedAt: optStr,
})

/** AccountSummary / VideoChannelSummary, with the pre-6.0 single `avatar` and the 4.2+ `avatars`. */
export const ActorSchema = v.object({
  id: v.optional(num),
  name: str,
  displayName: optStr,
  url: optStr,
  host: str,
  avatars: v.nullish(v.array(v.unknown())),
  avatar: v.nullish(v.unknown()),
})

const LabelSchema = v.nullish(v.object({ id: v.nullish(v.union([num, str])), label: optStr }))

/** A video as listed by GET /api/v1/videos. */
export const VideoItemSchema = v.object({
  id: num,
  uuid: v.pipe(str, v.check(isUuid, 'not a uuid')),
  url: optStr,
  name: str,
  category: LabelSchema,
  licence: LabelSchema,
  language: LabelSchema,
  privacy: LabelSchema,
  description: optStr,
  truncatedDescription: optStr,
  duration: v.nullish(num),
  isLocal: v.nullish(v.boolean()),
  isLive: v.nullish(v.boolean()),
  aspectRatio: v.nullish(num),
  thumbnailPath: optStr,
  previewPath: optStr,
  embedPath: optStr,
  views: v.nullish(num),
  likes: v.nullish(num),
  dislikes: v.nullish(num),
  comments: v.nullish(num),
  viewers: v.nullish(num),
  nsfw: v.nullish(v.boolean()),
  nsfwFlags: v.nullish(num),
  nsfwSummary: optStr,
  createdAt: date,
  updatedAt: date,
  publishedAt: date,
  originallyPublishedAt: v.nullish(date),
  account: ActorSchema,
  channel: ActorSchema,
})
/** A validated video list item. */
export type VideoItem = v.InferOutput<typeof VideoItemSchema>

/** The parts of GET /api/v1/videos/{uuid} that listings lack. */
export const VideoDetailsSchema = v.object({
  uuid: v.pipe(str, v.check(isUuid, 'not a uuid')),
  description: optStr,
  tags: v.nullish(v.array(v.unknown())),
})

/** GET /api/v1/videos/{uuid}/description (before 5.0, the only way to the full text). */
export const DescriptionSchema = v.object({ description: optStr })

/** A channel as listed by GET /api/v1/video-channels. */
export const ChannelSchema = v.object({
  id: v.optional(num),
  name: str,
  displayName: optStr,
  url: optStr,
  host: str,
  isLocal: v.nullish(v.boolean()),
  description: optStr,
  support: optStr,
  avatars: v.nullish(v.array(v.unknown())),
  avatar: v.nullish(v.unknown()),
  banners: v.nullish(v.array(v.unknown())),
  banner: v.nullish(v.unknown()),
  followersCount: v.nullish(num),
  followingCount: v.nullish(num),
  createdAt: date,
  updatedAt: date,
  ownerAccount: ActorSchema,
})
/** A validated channel list item. */
export type ChannelItem = v.InferOutput<typeof ChannelSchema>

/** A playlist as listed by GET /api/v1/video-playlists. */
export const PlaylistSchema = v.object({
  id: v.optional(num),
  uuid: v.pipe(str, v.check(isUuid, 'not a uuid')),
  url: optStr,
  isLocal: v.nullish(v.boolean()),
  displayName: str,
  description: optStr,
  privacy: LabelSchema,
  type: LabelSchema,
  videosLength: v.nullish(num),
  thumbnailPath: optStr,
  embedPath: optStr,
  createdAt: date,
  updatedAt: date,
  ownerAccount: ActorSchema,
  videoChannel: v.nullish(ActorSchema),
})
/** A validated playlist list item. */
export type PlaylistItem = v.InferOutput<typeof PlaylistSchema>

/**
 * PeerTube's ResultList: `total` is absent with skipCount; items are validated one by one later. A `total` that
 * is not a number only loses its hint (the last page is then the first short one), not the page.
 */
export const PageSchema = v.object({
  total: v.fallback(v.optional(num), undefined),
  data: v.array(v.unknown()),
})
/** A page of not-yet-validated items. */
export type Page = v.InferOutput<typeof PageSchema>

/** GET /api/v1/config, the fields the crawler uses. */
export const ServerConfigSchema = v.object({
  serverVersion: str,
  instance: v.optional(v.object({ name: optStr, shortDescription: optStr })),
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

/**
 * Watches one paged listing for the two ways an instance can keep a crawler busy or make it drop content: pages
 * of nothing but invalid items (a broken or hostile instance, not noise: indexing "nothing" would delete what it
 * had), and pages that bring nothing new (the same page again and again, a `total` that never ends). Returns
 * why the listing must stop, or null.
 */
export function listingGuard(keyOf: (item: unknown) => string | null) {
  const keys = new Set<string>()
  return (items: unknown[], invalidReasons: string[]): string | null => {
    if (items.length === 0) return null
    if (invalidReasons.length === items.length) return `answered only invalid items (${invalidReasons[0]})`
    let keyed = 0
    let fresh = 0
    for (const item of items) {
      const key = keyOf(item)
      if (key === null) continue
      keyed++
      if (!keys.has(key)) fresh++
      keys.add(key)
    }
    return keyed > 0 && fresh === 0 ? 'answered a page of items it had already sent (its pagination never ends)' : null
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

function parse<S extends v.GenericSchema>(schema: S, data: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, data)
  if (result.success) return result.output
  const issue = result.issues[0]
  const where = issue ? v.getDotPath(issue) : null
  throw new InvalidResponse(`answered an invalid ${what}${where ? ` (${where}: ${issue!.message})` : ''}`)
}

/** The requests Sepia makes to one instance. */
export function peertubeClient(fetcher: Fetcher, host: string) {
  const origin = fetcher.originOf(host)
  const get = (path: string, query: Record<string, string | number> = {}) => {
    const url = new URL(path, origin)
    for (const [k, val] of Object.entries(query)) url.searchParams.set(k, String(val))
    return fetcher.getJson(url.toString())
  }
  const page = async (path: string, query: Record<string, string | number>) => parse(PageSchema, await get(path, query), 'page')
  return {
    origin,
    async config(): Promise<ServerConfig> {
      return parse(ServerConfigSchema, await get('/api/v1/config'), 'server config')
    },
    /** One page of the instance's local, public videos, newest first, NSFW included. */
    videos(start: number, dialect: LocalDialect): Promise<Page> {
      const local: Record<string, string> = dialect === 'filter' ? { filter: 'local' } : { isLocal: 'true' }
      return page('/api/v1/videos', { ...local, nsfw: 'both', sort: '-publishedAt', start, count: PAGE_SIZE })
    },
    async videoDetails(uuid: string) {
      return parse(VideoDetailsSchema, await get(`/api/v1/videos/${uuid}`), 'video')
    },
    async videoDescription(uuid: string) {
      return parse(DescriptionSchema, await get(`/api/v1/videos/${uuid}/description`), 'video description')
    },
    /** One page of the channels the instance knows (local and remote: filter on host). */
    channels(start: number): Promise<Page> {
      return page('/api/v1/video-channels', { sort: 'createdAt', start, count: PAGE_SIZE })
    },
    /** One page of the public regular playlists the instance knows (local and remote: filter on host). */
    playlists(start: number): Promise<Page> {
      return page('/api/v1/video-playlists', { playlistType: 1, sort: 'createdAt', start, count: PAGE_SIZE })
    },
  }
}

/** The client for one instance. */
export type PeertubeClient = ReturnType<typeof peertubeClient>
