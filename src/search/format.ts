// Database rows to PeerTube-shaped JSON (contract §2). Everything a PeerTube client renders is present, with
// absolute URLs on the origin instance, so an instance that forwards its search to us can pass results through.
import { parseImages } from '../db/json.ts'
import type { ActorImage } from '../types.ts'
import type { ApiActorImage, ApiActorSummary, ApiChannel, ApiLabel, ApiPlaylist, ApiVideo } from './types.ts'

/** An image in PeerTube 8.1+'s `thumbnails` array of a video or playlist (its Thumbnail model). */
export type ApiThumbnail = { width: number; height: number; fileUrl: string }

/** A video result with the `thumbnails` array that PeerTube 8.1+ clients prefer to thumbnailUrl/previewUrl. */
export type ApiVideoWithThumbnails = ApiVideo & { thumbnails: ApiThumbnail[] }

/** A playlist result with its `thumbnails` array. */
export type ApiPlaylistWithThumbnails = ApiPlaylist & { thumbnails: ApiThumbnail[] }

// PeerTube's own labels (contract §5), used when an instance sent an id without a label.
const CATEGORIES: Record<number, string> = {
  1: 'Music', 2: 'Films', 3: 'Vehicles', 4: 'Art', 5: 'Sports', 6: 'Travels', 7: 'Gaming', 8: 'People', 9: 'Comedy',
  10: 'Entertainment', 11: 'News & Politics', 12: 'How To', 13: 'Education', 14: 'Activism', 15: 'Science & Technology',
  16: 'Animals', 17: 'Kids', 18: 'Food',
}
const LICENCES: Record<number, string> = {
  1: 'Attribution', 2: 'Attribution - Share Alike', 3: 'Attribution - No Derivatives', 4: 'Attribution - Non Commercial',
  5: 'Attribution - Non Commercial - Share Alike', 6: 'Attribution - Non Commercial - No Derivatives',
  7: 'Public Domain Dedication', 8: 'Free of known copyright restrictions', 9: 'All Rights Reserved',
}
const PLAYLIST_TYPES: Record<number, string> = { 1: 'Regular', 2: 'Watch later' }
const PUBLIC: ApiLabel<number> = { id: 1, label: 'Public' }
// PeerTube's list endpoints truncate descriptions to 250 characters, ending with "...".
const DESCRIPTION_MAX = 250
// The sizes PeerTube makes its images in. The index keeps one URL per kind, not its size: these are the current
// nominal ones (old instances made smaller thumbnails and previews, down to 200 and 560 px; 8.x also larger
// previews), close enough for a client choosing an image by width. Before 4.2 an actor had one avatar, always
// 120 px wide, and such avatars come without a width; a width of 0 would make PeerTube's own client skip them.
const THUMBNAIL = { width: 280, height: 157 }
const PREVIEW = { width: 850, height: 480 }
const AVATAR_WIDTH = 120
const BANNER_WIDTH = 1920

/** The columns of `videos` that searchVideos selects for output (prefix `v.`). */
export const VIDEO_COLUMNS = `v.id, v.uuid, v.short_uuid, v.remote_id, v.url, v.name, v.truncated_description,
  substr(v.description, 1, ${DESCRIPTION_MAX + 1}) AS description_start, v.tags, v.category_id, v.category_label,
  v.licence_id, v.licence_label, v.language_id, v.language_label, v.duration, v.is_live, v.nsfw, v.nsfw_flags,
  v.nsfw_summary, v.aspect_ratio, v.views, v.likes, v.dislikes, v.comments, v.viewers, v.thumbnail_url,
  v.preview_url, v.embed_url, v.created_at, v.updated_at, v.published_at, v.originally_published_at,
  v.account_remote_id, v.account_name, v.account_display_name, v.account_host, v.account_url, v.account_avatars,
  v.channel_remote_id, v.channel_name, v.channel_display_name, v.channel_host, v.channel_url, v.channel_avatars`

/** A row read with VIDEO_COLUMNS. */
export type VideoRow = {
  id: number
  uuid: string
  short_uuid: string
  remote_id: number
  url: string
  name: string
  truncated_description: string | null
  description_start: string | null
  tags: string
  category_id: number | null
  category_label: string | null
  licence_id: number | null
  licence_label: string | null
  language_id: string | null
  language_label: string | null
  duration: number
  is_live: number
  nsfw: number
  nsfw_flags: number
  nsfw_summary: string | null
  aspect_ratio: number | null
  views: number
  likes: number
  dislikes: number
  comments: number
  viewers: number
  thumbnail_url: string | null
  preview_url: string | null
  embed_url: string | null
  created_at: number
  updated_at: number
  published_at: number
  originally_published_at: number | null
  account_remote_id: number
  account_name: string
  account_display_name: string
  account_host: string
  account_url: string
  account_avatars: string
  channel_remote_id: number
  channel_name: string
  channel_display_name: string
  channel_host: string
  channel_url: string
  channel_avatars: string
}

/** The columns of `channels` that searchChannels selects (prefix `c.`). */
export const CHANNEL_COLUMNS = `c.id, c.remote_id, c.name, c.host, c.url, c.display_name, c.description, c.support,
  c.avatars, c.banners, c.followers_count, c.following_count, c.created_at, c.updated_at, c.owner_remote_id,
  c.owner_name, c.owner_display_name, c.owner_host, c.owner_url, c.owner_avatars,
  (SELECT count(*) FROM videos WHERE videos.channel_host = c.host AND videos.channel_name = c.name) AS videos_count`

/** A row read with CHANNEL_COLUMNS. */
export type ChannelRow = {
  id: number
  remote_id: number
  name: string
  host: string
  url: string
  display_name: string
  description: string | null
  support: string | null
  avatars: string
  banners: string
  followers_count: number
  following_count: number
  created_at: number
  updated_at: number
  owner_remote_id: number
  owner_name: string
  owner_display_name: string
  owner_host: string
  owner_url: string
  owner_avatars: string
  videos_count: number
}

/** The columns of `playlists` that searchPlaylists selects (prefix `p.`). */
export const PLAYLIST_COLUMNS = `p.id, p.uuid, p.short_uuid, p.remote_id, p.url, p.display_name, p.description,
  p.type_id, p.videos_length, p.thumbnail_url, p.embed_url, p.created_at, p.updated_at, p.owner_remote_id,
  p.owner_name, p.owner_display_name, p.owner_host, p.owner_url, p.owner_avatars, p.channel_remote_id,
  p.channel_name, p.channel_display_name, p.channel_host, p.channel_url, p.channel_avatars`

/** A row read with PLAYLIST_COLUMNS. */
export type PlaylistRow = {
  id: number
  uuid: string
  short_uuid: string
  remote_id: number
  url: string
  display_name: string
  description: string | null
  type_id: number
  videos_length: number
  thumbnail_url: string | null
  embed_url: string | null
  created_at: number
  updated_at: number
  owner_remote_id: number
  owner_name: string
  owner_display_name: string
  owner_host: string
  owner_url: string
  owner_avatars: string
  channel_remote_id: number | null
  channel_name: string | null
  channel_display_name: string | null
  channel_host: string | null
  channel_url: string | null
  channel_avatars: string | null
}

const iso = (ms: number): string => new Date(ms).toISOString()

// The path part of an absolute URL (PeerTube's *Path fields), or null.
function pathOf(url: string | null): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    return u.pathname + u.search
  } catch {
    return null
  }
}

function label<T>(id: T | null, stored: string | null, known: Record<string | number, string> = {}): ApiLabel<T> {
  if (id === null) return { id: null, label: 'Unknown' }
  return { id, label: stored || known[id as string | number] || 'Unknown' }
}

function truncate(text: string | null): string | null {
  if (text === null || text.length <= DESCRIPTION_MAX) return text
  return text.slice(0, DESCRIPTION_MAX - 3) + '...'
}

function image(i: ActorImage, unknownWidth: number): ApiActorImage {
  return {
    width: i.width > 0 ? i.width : unknownWidth,
    height: i.height ?? null,
    path: i.path,
    fileUrl: i.fileUrl,
    url: i.fileUrl,
    createdAt: i.createdAt ?? null,
    updatedAt: i.updatedAt ?? null,
  }
}

/**
 * Avatars or banners as PeerTube emits them, smallest first (clients that take the last one get the largest):
 * `fileUrl` for current clients and the same URL as `url` for older ones, and a width even when the origin gave none.
 */
export function images(json: string | null, kind: 'avatars' | 'banners'): ApiActorImage[] {
  const unknownWidth = kind === 'avatars' ? AVATAR_WIDTH : BANNER_WIDTH
  return parseImages(json)
    .filter((i) => i && typeof i.fileUrl === 'string')
    .map((i) => image(i, unknownWidth))
    .sort((a, b) => a.width - b.width)
}

/**
 * The single `avatar` of clients written before PeerTube 4.2 (and Grayjay, which reads it first): the one they
 * were made for, the smallest at least 120 px wide, else the largest there is. Never a 48 px miniature when a
 * bigger one exists.
 */
function legacyAvatar(avatars: ApiActorImage[]): ApiActorImage | null {
  return avatars.find((a) => a.width >= AVATAR_WIDTH) ?? avatars.at(-1) ?? null
}

/** An AccountSummary / VideoChannelSummary, with the legacy `avatar` next to `avatars`. */
export function actor(remoteId: number, name: string, displayName: string, host: string, url: string, avatarsJson: string | null): ApiActorSummary {
  const avatars = images(avatarsJson, 'avatars')
  return { id: remoteId, name, displayName, url, host, avatars, avatar: legacyAvatar(avatars) }
}

/** The `thumbnails` array of PeerTube 8.1+: every image the index knows for the item, smallest first. */
function thumbnails(thumbnailUrl: string | null, previewUrl: string | null = null): ApiThumbnail[] {
  const out: ApiThumbnail[] = []
  if (thumbnailUrl) out.push({ ...THUMBNAIL, fileUrl: thumbnailUrl })
  if (previewUrl && previewUrl !== thumbnailUrl) out.push({ ...PREVIEW, fileUrl: previewUrl })
  return out
}

function tagsOf(json: string): string[] {
  try {
    const v = JSON.parse(json)
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []
  } catch {
    return []
  }
}

/** A video result. `isLocal` is always false: an index result is never local to the instance showing it. */
export function formatVideo(r: VideoRow, score: number): ApiVideoWithThumbnails {
  const description = r.truncated_description ?? truncate(r.description_start)
  return {
    id: r.remote_id,
    uuid: r.uuid,
    shortUUID: r.short_uuid,
    url: r.url,
    name: r.name,
    category: label(r.category_id, r.category_label, CATEGORIES),
    licence: label(r.licence_id, r.licence_label, LICENCES),
    language: label(r.language_id, r.language_label),
    privacy: PUBLIC,
    description,
    truncatedDescription: description,
    duration: r.duration,
    aspectRatio: r.aspect_ratio,
    isLocal: false,
    isLive: r.is_live !== 0,
    thumbnailPath: pathOf(r.thumbnail_url),
    thumbnailUrl: r.thumbnail_url,
    previewPath: pathOf(r.preview_url),
    previewUrl: r.preview_url,
    thumbnails: thumbnails(r.thumbnail_url, r.preview_url),
    embedPath: pathOf(r.embed_url),
    embedUrl: r.embed_url,
    views: r.views,
    likes: r.likes,
    dislikes: r.dislikes,
    comments: r.comments,
    viewers: r.viewers,
    nsfw: r.nsfw !== 0,
    nsfwFlags: r.nsfw_flags,
    nsfwSummary: r.nsfw_summary,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    publishedAt: iso(r.published_at),
    originallyPublishedAt: r.originally_published_at === null ? null : iso(r.originally_published_at),
    account: actor(r.account_remote_id, r.account_name, r.account_display_name, r.account_host, r.account_url, r.account_avatars),
    channel: actor(r.channel_remote_id, r.channel_name, r.channel_display_name, r.channel_host, r.channel_url, r.channel_avatars),
    tags: tagsOf(r.tags),
    score,
  }
}

/** A channel result. */
export function formatChannel(r: ChannelRow, score: number): ApiChannel {
  const avatars = images(r.avatars, 'avatars')
  return {
    id: r.remote_id,
    url: r.url,
    name: r.name,
    host: r.host,
    displayName: r.display_name,
    description: r.description,
    support: r.support,
    isLocal: false,
    avatars,
    avatar: legacyAvatar(avatars),
    banners: images(r.banners, 'banners'),
    followersCount: r.followers_count,
    followingCount: r.following_count,
    hostRedundancyAllowed: false,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    videosCount: r.videos_count,
    ownerAccount: actor(r.owner_remote_id, r.owner_name, r.owner_display_name, r.owner_host, r.owner_url, r.owner_avatars),
    score,
  }
}

/** A playlist result; `videoChannel` is null for a playlist without a channel, as on PeerTube. */
export function formatPlaylist(r: PlaylistRow, score: number): ApiPlaylistWithThumbnails {
  const hasChannel = r.channel_name !== null && r.channel_host !== null && r.channel_url !== null
  return {
    id: r.remote_id,
    uuid: r.uuid,
    shortUUID: r.short_uuid,
    url: r.url,
    displayName: r.display_name,
    description: r.description,
    isLocal: false,
    privacy: PUBLIC,
    type: label(r.type_id, null, PLAYLIST_TYPES) as ApiLabel<number>,
    videosLength: r.videos_length,
    thumbnailPath: pathOf(r.thumbnail_url),
    thumbnailUrl: r.thumbnail_url,
    thumbnails: thumbnails(r.thumbnail_url),
    embedPath: pathOf(r.embed_url),
    embedUrl: r.embed_url,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    ownerAccount: actor(r.owner_remote_id, r.owner_name, r.owner_display_name, r.owner_host, r.owner_url, r.owner_avatars),
    videoChannel: hasChannel
      ? actor(r.channel_remote_id ?? 0, r.channel_name!, r.channel_display_name ?? r.channel_name!, r.channel_host!, r.channel_url!, r.channel_avatars)
      : null,
    score,
  }
}
