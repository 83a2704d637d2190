// What every kind of listed item shares: the size limits, the instance it must belong to, the field schemas of
// embedded actors and images, and the helpers that turn untrusted values into stored ones (capped strings, counts,
// absolute URLs kept only on the instance's own origin). The item kinds live beside it: video.ts, channel.ts,
// playlist.ts, each with its schema next to its normaliser.
import * as v from 'valibot'
import type { ActorImage, ActorSummary, Labelled } from '../../types.ts'

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

// Schemas accept every API generation from 2.x to 8.x: old and new field names are optional side by side, unknown
// fields are ignored, and nothing is trusted to be the right size (the normalisers cap lengths).
/** Any string. */
export const str = v.string()
/** A string, null or absent. */
export const optStr = v.nullish(v.string())
/** A finite number. */
export const num = v.pipe(v.number(), v.finite())
/** A string Date.parse reads. */
export const date = v.pipe(
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

/** `{id, label}` as PeerTube sends category, licence, language, privacy and playlist type. */
export const LabelSchema = v.nullish(v.object({ id: v.nullish(v.union([num, str])), label: optStr }))

/** Cuts a string to `max` UTF-16 units without splitting a surrogate pair, and drops NUL characters. */
export function cap(text: string, max: number): string {
  let s = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
  if (s.length <= max) return s
  s = s.slice(0, max)
  const last = s.charCodeAt(s.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? s.slice(0, -1) : s
}

/** cap(), keeping null and undefined as null. */
export function capOrNull(text: string | null | undefined, max: number): string | null {
  return text === null || text === undefined ? null : cap(text, max)
}

/** Same host, ignoring case (hosts carry a port when it is not the default one). */
export function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** An absolute URL given by the instance, kept only if it stays on the instance's host. */
export function onHost(url: string | null | undefined, inst: InstanceRef): string | null {
  if (!url || url.length > LIMITS.url) return null
  try {
    const u = new URL(url)
    return (u.protocol === 'https:' || u.protocol === 'http:') && sameHost(u.host, inst.host) ? u.toString() : null
  } catch {
    return null
  }
}

// The instance's origin as URL parses it, once per crawl of it rather than once per image.
const origins = new WeakMap<InstanceRef, { base: string; origin: string }>()

/** A path on the instance made absolute on its origin; anything escaping the origin ("//elsewhere/x") is dropped. */
export function onOrigin(path: string | null | undefined, inst: InstanceRef): string | null {
  if (!path || path.length > LIMITS.url || !path.startsWith('/')) return null
  let o = origins.get(inst)
  if (!o) origins.set(inst, (o = { base: inst.origin + '/', origin: new URL(inst.origin).origin }))
  try {
    const u = new URL(path, o.base)
    return u.origin === o.origin ? u.toString() : null
  } catch {
    return null
  }
}

/** A counter as stored: a non-negative safe integer, 0 for anything else. */
export function count(n: number | null | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.min(Math.trunc(n), Number.MAX_SAFE_INTEGER) : 0
}

/**
 * An ISO date (already validated by the schema) as milliseconds since the epoch, never later than now: a date in
 * the future is a lie or a broken clock, and would rank a video above every other (rank.ts counts a point per four
 * years of publication) and make every recent-date filter check rows one by one. Nothing is published, created or
 * updated after we fetched it.
 */
export function ms(isoDate: string): number {
  return Math.min(Date.parse(isoDate), Date.now())
}

/** An `{id, label}` pair with the id kept only when `valid`. */
export function labelled<T extends number | string>(
  raw: { id?: number | string | null; label?: string | null } | null | undefined,
  valid: (id: unknown) => id is T,
): Labelled<T> {
  const id = raw?.id
  return { id: valid(id) ? id : null, label: capOrNull(raw?.label, LIMITS.label) }
}

/** A non-negative integer id (category, licence, remote ids). */
export const isIntId = (id: unknown): id is number => typeof id === 'number' && Number.isInteger(id) && id >= 0

/** A language id as PeerTube writes them ("en", "zh-Hant"). */
export const isLanguageId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= 16

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

/** Validates an item against its schema: the output, or why it is malformed ("account.host: Invalid type…"). */
export function validate<S extends v.GenericSchema>(schema: S, raw: unknown): { ok: true; item: v.InferOutput<S> } | { ok: false; reason: string } {
  const parsed = v.safeParse(schema, raw)
  if (parsed.success) return { ok: true, item: parsed.output }
  const issue = parsed.issues[0]
  if (!issue) return { ok: false, reason: 'invalid' }
  const path = v.getDotPath(issue)
  return { ok: false, reason: path ? `${path}: ${issue.message}` : issue.message }
}
