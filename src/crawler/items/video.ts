// A video as an instance lists it (GET /api/v1/videos) and as its details add to it (GET /api/v1/videos/{uuid}):
// the schemas, and the normalisers that turn them into what Sepia stores. The listing alone makes a complete,
// searchable record (every field the filters and sorts use, a truncated description); the details bring the full
// description and the tags, later.
import * as v from 'valibot'
import type { VideoRecord } from '../../types.ts'
import { isUuid, shortUuid } from '../../short-uuid.ts'
import {
  ActorSchema, LIMITS, LabelSchema, actor, cap, capOrNull, count, date, isIntId, isLanguageId, labelled, ms, num, onHost, onOrigin,
  optStr, str, validate, type InstanceRef, type Normalized,
} from './common.ts'

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

/** A listed video → VideoRecord (tags empty and description truncated until its details are fetched). */
export function normalizeVideo(raw: unknown, inst: InstanceRef): Normalized<VideoRecord> {
  const parsed = validate(VideoItemSchema, raw)
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason }
  const item = parsed.item
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

/** The parts of GET /api/v1/videos/{uuid} that listings lack. */
export const VideoDetailsSchema = v.object({
  uuid: v.pipe(str, v.check(isUuid, 'not a uuid')),
  description: optStr,
  tags: v.nullish(v.array(v.unknown())),
})

/** GET /api/v1/videos/{uuid}/description (before 5.0, the only way to the full text). */
export const DescriptionSchema = v.object({ description: optStr })

/** What the details phase stores: the full description and the tags. */
export type VideoDetails = { description: string | null; tags: string[] }

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
