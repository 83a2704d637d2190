// The image proxy: serves the thumbnails and avatars of results from the gateway's own origin, so a visitor's
// browser contacts no instance until they follow a result. A picture is asked for by the id of the object it
// belongs to; its URL comes from the index, never from the request, and must live on that object's instance.
// Each URL is fetched once (concurrent askers share the fetch), kept in the disk cache, and a failure is
// remembered for a while so a broken instance is not asked again on every page view. See README.md.
import type { Config } from '../config/config.ts'
import { channelAvatars, playlistPicture, videoPictures } from '../db/images.ts'
import type { Db } from '../db/open.ts'
import { log } from '../log.ts'
import { safeUrl } from '../../views/html.ts'
import { openImageCache, type CachedImage, type ImageCache } from './cache.ts'
import { createImageFetcher, type ImageFetcher, type ImageFetcherOptions } from './fetch.ts'
import { AVATAR_SIZES, imageVersion, pickAvatar } from './links.ts'

/** What a proxied address names: a picture of one indexed object. */
export type ImageRef =
  | { kind: 'video'; uuid: string }
  | { kind: 'video-avatar'; uuid: string; size: number }
  | { kind: 'playlist'; uuid: string }
  | { kind: 'channel-avatar'; handle: string; size: number }

/** The proxy's answer: the picture (and the version its address should carry), none, or a failed fetch. */
export type ImageAnswer =
  | { status: 200; image: CachedImage; version: string }
  | { status: 404 }
  | { status: 502 }

/** The image proxy of one gateway. */
export type ImageProxy = { serve(ref: ImageRef): Promise<ImageAnswer>; close(): Promise<void> }

/** Pictures fetched at once, all instances together; more wait in line, and past the line's end get a placeholder. */
const MAX_FETCHES = 16
const MAX_WAITING = 256
/** How long a failed picture is not asked for again. */
const RETRY_AFTER_MS = 10 * 60_000
const MAX_REMEMBERED_FAILURES = 10_000

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Reads the parts of a proxied address into a reference, or null when they cannot name a picture. */
export function imageRef(kind: string, id: string, size?: string): ImageRef | null {
  const n = size === undefined ? null : Number(size)
  if (n !== null && !AVATAR_SIZES.includes(n)) return null
  if (kind === 'channels') return n !== null && /^[^@\s]{1,200}@[^@\s]{1,300}$/.test(id) ? { kind: 'channel-avatar', handle: id, size: n } : null
  const uuid = id.toLowerCase()
  if (!UUID.test(uuid)) return null
  if (kind === 'videos') return n === null ? { kind: 'video', uuid } : { kind: 'video-avatar', uuid, size: n }
  if (kind === 'playlists' && n === null) return { kind: 'playlist', uuid }
  return null
}

/** Builds the proxy; its disk cache opens on the first picture asked for. */
export function createImageProxy(deps: { db: Db; config: Config }, options: ImageFetcherOptions = {}): ImageProxy {
  const { db, config } = deps
  const fetcher: ImageFetcher = createImageFetcher(config.crawl, options)
  let cache: ImageCache | null | undefined
  const cacheOf = (): ImageCache | null => {
    if (cache === undefined) {
      try {
        cache = openImageCache(config.site.imageCacheDir, config.site.imageCacheMaxBytes)
      } catch (err) {
        log('error', `site.imageCacheDir: cannot use ${config.site.imageCacheDir} (${(err as Error).message}); pictures are served without a cache`)
        cache = null
      }
    }
    return cache
  }
  const inFlight = new Map<string, Promise<CachedImage>>()
  const failedUntil = new Map<string, number>()
  let running = 0
  const waiting: (() => void)[] = []
  let warnedWrite = false

  // The URL the index holds for a reference, if it is an http(s) URL on the object's own instance.
  function source(ref: ImageRef): string | null {
    let found: { host: string; url: string | null } | null = null
    if (ref.kind === 'video' || ref.kind === 'video-avatar') {
      const v = videoPictures(db, ref.uuid)
      if (v) found = { host: v.host, url: ref.kind === 'video' ? safeUrl(v.thumbnailUrl) ?? safeUrl(v.previewUrl) : pickAvatar(v.channelAvatars, ref.size) }
    } else if (ref.kind === 'playlist') {
      const p = playlistPicture(db, ref.uuid)
      if (p) found = { host: p.host, url: safeUrl(p.thumbnailUrl) }
    } else {
      const at = ref.handle.lastIndexOf('@')
      const c = channelAvatars(db, ref.handle.slice(0, at), ref.handle.slice(at + 1).toLowerCase())
      if (c) found = { host: c.host, url: pickAvatar(c.avatars, ref.size) }
    }
    if (!found?.url) return null
    return new URL(found.url).host === found.host ? found.url : null
  }

  async function slot(): Promise<void> {
    if (running < MAX_FETCHES) {
      running++
      return
    }
    if (waiting.length >= MAX_WAITING) throw new Error('too many pictures being fetched')
    // The slot passes straight from the finishing fetch to this one, so `running` stays as it is.
    await new Promise<void>((resolve) => waiting.push(resolve))
  }
  function release(): void {
    const next = waiting.shift()
    if (next) next()
    else running--
  }

  async function fetchAndKeep(url: string): Promise<CachedImage> {
    await slot()
    let image: CachedImage
    try {
      image = await fetcher.fetch(url)
    } finally {
      release()
    }
    try {
      await cacheOf()?.put(url, image)
    } catch (err) {
      // A full disk must not cost visitors their pictures; the admin hears of it once.
      if (!warnedWrite) log('error', `image cache: cannot write to ${config.site.imageCacheDir}: ${(err as Error).message}`)
      warnedWrite = true
    }
    return image
  }

  return {
    close: () => fetcher.close(),
    async serve(ref) {
      const url = source(ref)
      if (!url) return { status: 404 }
      const version = imageVersion(url)
      const cached = await cacheOf()?.get(url)
      if (cached) return { status: 200, image: cached, version }
      const until = failedUntil.get(url)
      if (until !== undefined && until > Date.now()) return { status: 502 }
      let pending = inFlight.get(url)
      if (!pending) {
        pending = fetchAndKeep(url).finally(() => inFlight.delete(url))
        inFlight.set(url, pending)
      }
      try {
        const image = await pending
        failedUntil.delete(url)
        return { status: 200, image, version }
      } catch {
        if (failedUntil.size >= MAX_REMEMBERED_FAILURES) failedUntil.delete(failedUntil.keys().next().value!)
        failedUntil.set(url, Date.now() + RETRY_AFTER_MS)
        return { status: 502 }
      }
    },
  }
}
