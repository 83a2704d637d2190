// Listing pages from bytes to normalised records: the bounded JSON parse, the page envelope, and each item's schema
// and normaliser. It is most of the crawler's work outside SQLite (a fifth of the listing phase's time), and it
// needs nothing of the database, so it runs on a worker thread while the main thread writes: the listing ingest is
// bound by the one thread that writes SQLite (src/crawler/README.md, "Decoding off the writer's thread").
//
// This file imports nothing that opens the database: the worker (page-decoder.worker.ts) loads it alone.
import { JsonRefused, parseBoundedJson } from './bounded-json.ts'
import { InvalidResponse, PageSchema, actorKey, parseAnswer, uuidKey } from './peertube.ts'
import type { InstanceRef, Normalized } from './items/common.ts'
import { normalizeVideo } from './items/video.ts'
import { normalizeChannel } from './items/channel.ts'
import { normalizePlaylist } from './items/playlist.ts'
import { listingHash } from '../db/listing-values.ts'
import type { VideoRecord } from '../types.ts'

/** The listings a pass walks. */
export type ListingName = 'videos' | 'channels' | 'playlists'

/** One listed item, decoded: its normalised record (or why it has none) and the keys read from the raw item. */
export type DecodedItem<R> = {
  n: Normalized<R>
  /** The item's identity across pages, for the listing guard (peertube.ts listingGuard). */
  guard: string | null
  /** The item's key as the listing's writer keys it, read from the raw item (for items that fail validation). */
  raw: string | null
  /** A video's listing fingerprint (db/listing-values.ts), computed here rather than on the writer's thread. */
  hash: string | null
}

/** A listing page, decoded. */
export type DecodedPage<R = unknown> = {
  /** The page's `total`, when it has a usable one. */
  total: number | undefined
  items: DecodedItem<R>[]
}

const channelName = (raw: unknown): string | null => {
  const name = (raw as { name?: unknown } | null)?.name
  return typeof name === 'string' ? name : null
}

// Per listing: its normaliser, the guard's key and the writer's key read from a raw item.
const LISTINGS: Record<ListingName, { normalize(raw: unknown, inst: InstanceRef): Normalized<unknown>; guard(raw: unknown): string | null; raw(raw: unknown): string | null }> = {
  videos: { normalize: normalizeVideo, guard: uuidKey, raw: uuidKey },
  channels: { normalize: normalizeChannel, guard: actorKey, raw: channelName },
  playlists: { normalize: normalizePlaylist, guard: uuidKey, raw: uuidKey },
}

/**
 * Decodes one listing page of the instance `inst` (`instanceId` in the index); throws InvalidResponse (with what an
 * instance is told: not JSON, too large, not a page).
 */
export function decodePage(listing: ListingName, bytes: Uint8Array, inst: InstanceRef, instanceId: number): DecodedPage {
  let json: unknown
  try {
    json = parseBoundedJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch (err) {
    if (err instanceof JsonRefused) throw new InvalidResponse(err.message)
    throw err
  }
  const page = parseAnswer(PageSchema, json, 'page')
  const kind = LISTINGS[listing]
  return {
    total: page.total,
    items: page.data.map((raw) => {
      const n = kind.normalize(raw, inst)
      const hash = listing === 'videos' && n.kind === 'ok' ? listingHash(instanceId, n.record as VideoRecord) : null
      return { n, guard: kind.guard(raw), raw: kind.raw(raw), hash }
    }),
  }
}
