// A video channel as an instance lists it (GET /api/v1/video-channels, its own and the remote ones it follows): the
// schema and the normaliser that keeps the instance's own channels.
import * as v from 'valibot'
import type { ChannelRecord } from '../../types.ts'
import {
  ActorSchema, LIMITS, actor, capOrNull, count, date, images, ms, num, optStr, sameHost, str, validate, type InstanceRef, type Normalized,
} from './common.ts'

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

/** A listed channel → ChannelRecord, if it is one of the instance's own. */
export function normalizeChannel(raw: unknown, inst: InstanceRef): Normalized<ChannelRecord> {
  const parsed = validate(ChannelSchema, raw)
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason }
  const c = parsed.item
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
