import type { ActorImage, ActorSummary } from '../types.ts'

/** Column values for an embedded actor summary, in the order `*_remote_id, *_name, *_display_name, *_host, *_url, *_avatars`. */
export function actorColumns(a: ActorSummary): [number, string, string, string, string, string] {
  return [a.remoteId, a.name, a.displayName, a.host, a.url, JSON.stringify(a.avatars)]
}

/** Parses an images column written by actorColumns or the upserts; a corrupt value reads as no image. */
export function parseImages(json: string | null): ActorImage[] {
  if (!json) return []
  try {
    const v = JSON.parse(json)
    return Array.isArray(v) ? v : []
  } catch {
    return []
  }
}
