// Recognises search text that names one object: a video or playlist uuid or short uuid, a watch URL, a channel
// handle or URL. Such a search returns that object first (issue 3, "relevance people trust").
import { isUuid, uuidFromShort } from '../short-uuid.ts'

// A PeerTube handle: user or channel name (PeerTube allows [a-z0-9_.] and more), "@", and a host with an optional port.
const HANDLE_RE = /^@?([\p{L}\p{N}_.\-]{1,100})@([a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?)$/iu

/** What a search text names, if it names one object; all fields are lower-cased where case does not matter. */
export type Identifier =
  | { kind: 'uuid'; uuid: string }
  | { kind: 'handle'; name: string; host: string }
  | { kind: 'none' }

/**
 * Reads a search text as an identifier: a uuid or short uuid, a PeerTube URL whose path ends in one (/w/<id>,
 * /videos/watch/<uuid>, /w/p/<id>, /videos/watch/playlist/<uuid>, /video-playlists/<uuid>), a handle
 * `name@host` or `@name@host`, or a channel/account URL (/c/<name>, /video-channels/<name>, /a/<name>, /accounts/<name>).
 */
export function parseIdentifier(text: string): Identifier {
  const s = text.trim()
  if (s.length === 0 || s.length > 300) return { kind: 'none' }
  if (isUuid(s)) return { kind: 'uuid', uuid: s.toLowerCase() }
  const fromShort = uuidFromShort(s)
  if (fromShort && /[0-9]/.test(s) && /[a-zA-Z]/.test(s)) return { kind: 'uuid', uuid: fromShort }
  const handle = HANDLE_RE.exec(s)
  if (handle) return { kind: 'handle', name: handle[1]!.toLowerCase(), host: handle[2]!.toLowerCase() }
  if (/^https?:\/\//i.test(s)) {
    let url: URL
    try {
      url = new URL(s)
    } catch {
      return { kind: 'none' }
    }
    const parts = url.pathname.split('/').filter((p) => p !== '')
    const last = parts.at(-1) ?? ''
    const objectId = isUuid(last) ? last.toLowerCase() : uuidFromShort(last)
    const first = parts[0] ?? ''
    if (objectId && (first === 'w' || first === 'videos' || first === 'video-playlists')) return { kind: 'uuid', uuid: objectId }
    if (parts.length >= 2 && ['c', 'video-channels', 'a', 'accounts'].includes(first)) {
      const name = decodeURIComponentSafe(parts[1]!)
      const [n, h] = name.includes('@') ? name.split('@', 2) : [name, url.host]
      if (n && h) return { kind: 'handle', name: n.toLowerCase(), host: h.toLowerCase() }
    }
  }
  return { kind: 'none' }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
