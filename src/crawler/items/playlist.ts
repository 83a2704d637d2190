// A playlist as an instance lists it (GET /api/v1/video-playlists, its own and the remote ones it follows): the
// schema and the normaliser that keeps the instance's own public, regular playlists.
import * as v from 'valibot'
import type { PlaylistRecord } from '../../types.ts'
import { isUuid, shortUuid } from '../../short-uuid.ts'
import {
  ActorSchema, LIMITS, LabelSchema, actor, cap, capOrNull, count, date, isIntId, ms, num, onHost, onOrigin, optStr, str, validate,
  type InstanceRef, type Normalized,
} from './common.ts'

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

/** A listed playlist → PlaylistRecord, if it is the instance's own, public and regular. */
export function normalizePlaylist(raw: unknown, inst: InstanceRef): Normalized<PlaylistRecord> {
  const parsed = validate(PlaylistSchema, raw)
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason }
  const p = parsed.item
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
