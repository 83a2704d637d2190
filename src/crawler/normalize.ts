// From an instance's JSON (any API generation) to the records Sepia stores: local and public items only,
// absolute URLs on the instance's own origin, our own shortUUID, and every string capped so that a hostile
// instance cannot bloat the index.
import * as v from 'valibot'
import type { ActorImage, ActorSummary, ChannelRecord, Labelled, PlaylistRecord, VideoRecord } from '../types.ts'
import { ActorSchema, ChannelSchema, ImageSchema, PlaylistSchema, VideoItemSchema } from './peertube.ts'
import { shortUuid } from '../short-uuid.ts'

/** Size limits for stored text (PeerTube's own limits are lower; these only stop abuse). */
export const LIMITS = {
  name: 250, // video names (PeerTube: 120), display names
  actorName: 120, // account and channel handles (PeerTube: 50)
  description: 10_000, // PeerTube: 10 000 for videos, 1 000 for channels
  support: 1_000,
  label: 100,
  tag: 30, // PeerTube: 2..30 characters
  tags: 20, // PeerTube: 5
  url: 2_000,
  images: 8,
} as const

/** The instance being crawled: content must be on this host, URLs are built on this origin. */
export type InstanceRef = { host: string; origin: string }

/** What became of one listed item. */
export type Normalized<T> =
  | { kind: 'ok'; record: T }
  /** Fine, but not ours to index: remote, or not public. */
  | { kind: 'ignored'; reason: string }
  /** Failed validation: counted in the instance's skipped_count. */
  | { kind: 'malformed'; reason: string }

/** Cuts a string to `max` UTF-16 units without splitting a surrogate pair, and drops NUL characters. */
export function cap(text: string, max: number): string {
  let s = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
  if (s.length <= max) return s
  s = s.slice(0, max)
  const last = s.charCodeAt(s.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? s.slice(0, -1) : s
}

function capOrNull(text: string | null | undefined, max: number): string | null {
  return text === null || text === undefined ? null : cap(text, max)
}

/** Same host, ignoring case (hosts carry a port when it is not the default one). */
export function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** An absolute URL given by the instance, kept only if it stays on the instance's host. */
function onHost(url: string | null | undefined, inst: InstanceRef): string | null {
  if (!url || url.length > LIMITS.url) return null
  try {
    const u = new URL(url)
    return (u.protocol === 'https:' || u.protocol === 'http:') && sameHost(u.host, inst.host) ? u.toString() : null
  } catch {
    return null
  }
}

/** A path on the instance made absolute on its origin; anything escaping the origin ("//elsewhere/x") is dropped. */
function onOrigin(path: string | null | undefined, inst: InstanceRef): string | null {
  if (!path || path.length > LIMITS.url || !path.startsWith('/')) return null
  try {
    const u = new URL(path, inst.origin + '/')
    return u.origin === new URL(inst.origin).origin ? u.toString() : null
  } catch {
    return null
  }
}

function count(n: number | null | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.min(Math.trunc(n), Number.MAX_SAFE_INTEGER) : 0
}

function ms(isoDate: string): number {
  return Date.parse(isoDate)
}

function labelled<T extends number | string>(
  raw: { id?: number | string | null; label?: string | null } | null | undefined,
  valid: (id: unknown) => id is T,
): Labelled<T> {
  const id = raw?.id
  return { id: valid(id) ? id : null, label: capOrNull(raw?.label, LIMITS.label) }
}
const isIntId = (id: unknown): id is number => typeof id === 'number' && Number.isInteger(id) && id >= 0
const isLanguageId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= 16

/** Avatars or banners, from `avatars[]` (4.2+) or the single `avatar` object (before 4.2), with absolute fileUrls. */
export function images(list: unknown[] | null | undefined, single: unknown, inst: InstanceRef): ActorImage[] {
  const raws = list && list.length > 0 ? list : single ? [single] : []
  const out: ActorImage[] = []
  for (const raw of raws.slice(0, LIMITS.images)) {
    const r = v.safeParse(ImageSchema, raw)
    if (!r.success) continue
    const img = r.output
    // The instance's own fileUrl is right when it is on its own host (files may sit on the same host under
    // another path); otherwise, e.g. a cached copy elsewhere, rebuild it from the path on the origin.
    const fileUrl = onHost(img.fileUrl, inst) ?? onOrigin(img.path, inst) ?? onHost(img.url, inst)
    if (!fileUrl) continue
    out.push({
      width: count(img.width),
      height: img.height == null ? null : count(img.height),
      path: img.path && img.path.startsWith('/') ? cap(img.path, LIMITS.url) : new URL(fileUrl).pathname,
      fileUrl,
      createdAt: capOrNull(img.createdAt, 40),
      updatedAt: capOrNull(img.updatedAt, 40),
    })
  }
  return out
}

/** An embedded account or channel of the instance; null when it lives on another host. */
export function actor(raw: v.InferOutput<typeof ActorSchema>, inst: InstanceRef, kind: 'accounts' | 'video-channels'): ActorSummary | null {
  if (!sameHost(raw.host, inst.host)) return null
  const name = cap(raw.name, LIMITS.actorName)
  return {
    remoteId: isIntId(raw.id) ? raw.id : 0,
    name,
    displayName: cap(raw.displayName || name, LIMITS.name),
    host: inst.host,
    url: onHost(raw.url, inst) ?? `${inst.origin}/${kind}/${encodeURIComponent(name)}`,
    avatars: images(raw.avatars, raw.avatar, inst),
  }
}

function reasonOf(issues: v.BaseIssue<unknown>[]): string {
  const issue = issues[0]
  if (!issue) return 'invalid'
  const path = v.getDotPath(issue)
  return path ? `${path}: ${issue.message}` : issue.message
}

/** A listed video → VideoRecord (tags empty and description truncated until details are merged in). */
export function normalizeVideo(raw: unknown, inst: InstanceRef): Normalized<VideoRecord> {
  const parsed = v.safeParse(VideoItemSchema, raw)
  if (!parsed.success) return { kind: 'malformed', reason: reasonOf(parsed.issues) }
  const item = parsed.output
  // The local filter is a request, not a guarantee (2.x/3.x ignore isLocal): check each item ourselves.
  if (item.isLocal !== true) return { kind: 'ignored', reason: 'remote' }
  if (item.privacy && item.privacy.id !== 1) return { kind: 'ignored', reason: 'not public' }
  const account = actor(item.account, inst, 'accounts')
  const channel = actor(item.channel, inst, 'video-channels')
  if (!account || !channel) return { kind: 'ignored', reason: 'remote' }
  const uuid = item.uuid.toLowerCase()
  const truncated = capOrNull(item.truncatedDescription ?? item.description, LIMITS.description)
  const originally = item.originallyPublishedAt ? ms(item.originallyPublishedAt) : null
  return {
    kind: 'ok',
    record: {
      uuid,
      shortUuid: shortUuid(uuid),
      remoteId: isIntId(item.id) ? item.id : 0,
      url: onHost(item.url, inst) ?? `${inst.origin}/videos/watch/${uuid}`,
      name: cap(item.name, LIMITS.name),
      description: truncated,
      truncatedDescription: truncated,
      tags: [],
      category: labelled(item.category, isIntId),
      licence: labelled(item.licence, isIntId),
      language: labelled(item.language, isLanguageId),
      duration: count(item.duration),
      isLive: item.isLive === true,
      nsfw: item.nsfw === true,
      nsfwFlags: count(item.nsfwFlags),
      nsfwSummary: capOrNull(item.nsfwSummary, LIMITS.support),
      aspectRatio: typeof item.aspectRatio === 'number' && item.aspectRatio > 0 ? item.aspectRatio : null,
      views: count(item.views),
      likes: count(item.likes),
      dislikes: count(item.dislikes),
      comments: count(item.comments),
      viewers: count(item.viewers),
      thumbnailUrl: onOrigin(item.thumbnailPath, inst),
      previewUrl: onOrigin(item.previewPath, inst),
      embedUrl: onOrigin(item.embedPath, inst) ?? `${inst.origin}/videos/embed/${uuid}`,
      createdAt: ms(item.createdAt),
      updatedAt: ms(item.updatedAt),
      publishedAt: ms(item.publishedAt),
      // Epoch 0 is how some tools write "none".
      originallyPublishedAt: originally ? originally : null,
      account,
      channel,
    },
  }
}

/** Tags as stored: trimmed, non-empty, at most 30 characters each, at most 20, no duplicates. */
export function normalizeTags(raw: unknown[] | null | undefined): string[] {
  const out: string[] = []
  for (const t of raw ?? []) {
    if (typeof t !== 'string') continue
    const tag = cap(t.trim(), LIMITS.tag).trim()
    if (tag && !out.includes(tag)) out.push(tag)
    if (out.length >= LIMITS.tags) break
  }
  return out
}

/** A full description, capped. */
export function normalizeDescription(text: string | null | undefined): string | null {
  return capOrNull(text, LIMITS.description)
}

/** A listed channel → ChannelRecord, if it is one of the instance's own. */
export function normalizeChannel(raw: unknown, inst: InstanceRef): Normalized<ChannelRecord> {
  const parsed = v.safeParse(ChannelSchema, raw)
  if (!parsed.success) return { kind: 'malformed', reason: reasonOf(parsed.issues) }
  const c = parsed.output
  if (c.isLocal === false || !sameHost(c.host, inst.host)) return { kind: 'ignored', reason: 'remote' }
  const self = actor(c, inst, 'video-channels')
  const owner = actor(c.ownerAccount, inst, 'accounts')
  if (!self || !owner) return { kind: 'ignored', reason: 'remote' }
  return {
    kind: 'ok',
    record: {
      remoteId: self.remoteId,
      name: self.name,
      host: inst.host,
      url: self.url,
      displayName: self.displayName,
      description: capOrNull(c.description, LIMITS.description),
      support: capOrNull(c.support, LIMITS.support),
      avatars: self.avatars,
      banners: images(c.banners, c.banner, inst),
      followersCount: count(c.followersCount),
      followingCount: count(c.followingCount),
      createdAt: ms(c.createdAt),
      updatedAt: ms(c.updatedAt),
      owner,
    },
  }
}

/** A listed playlist → PlaylistRecord, if it is the instance's own, public and regular. */
export function normalizePlaylist(raw: unknown, inst: InstanceRef): Normalized<PlaylistRecord> {
  const parsed = v.safeParse(PlaylistSchema, raw)
  if (!parsed.success) return { kind: 'malformed', reason: reasonOf(parsed.issues) }
  const p = parsed.output
  if (p.isLocal === false) return { kind: 'ignored', reason: 'remote' }
  if (p.privacy?.id !== 1) return { kind: 'ignored', reason: 'not public' }
  if (p.type && p.type.id !== 1) return { kind: 'ignored', reason: 'not a regular playlist' }
  const owner = actor(p.ownerAccount, inst, 'accounts')
  if (!owner) return { kind: 'ignored', reason: 'remote' }
  const uuid = p.uuid.toLowerCase()
  return {
    kind: 'ok',
    record: {
      uuid,
      shortUuid: shortUuid(uuid),
      remoteId: isIntId(p.id) ? p.id : 0,
      url: onHost(p.url, inst) ?? `${inst.origin}/video-playlists/${uuid}`,
      displayName: cap(p.displayName, LIMITS.name),
      description: capOrNull(p.description, LIMITS.description),
      typeId: 1,
      videosLength: count(p.videosLength),
      thumbnailUrl: onOrigin(p.thumbnailPath, inst),
      embedUrl: onOrigin(p.embedPath, inst) ?? `${inst.origin}/video-playlists/embed/${uuid}`,
      createdAt: ms(p.createdAt),
      updatedAt: ms(p.updatedAt),
      owner,
      channel: p.videoChannel ? actor(p.videoChannel, inst, 'video-channels') : null,
    },
  }
}
