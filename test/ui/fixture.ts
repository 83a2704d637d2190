// The site's test federation: the standard fake federation, plus a video whose description is hostile HTML, plus
// thumbnails and avatars served as small PNG pictures so that screenshots show what visitors would see.
import { crc32, deflateSync } from 'node:zlib'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'
import { uuidFrom } from '../fake/random.ts'
import { fakePlaylist, fakeVideo, standardFederation, type FakeRequest, type FakeResponse, type FakeVideo } from '../fake/federation.ts'

/** Text of the hostile description; the page must show it as text. */
export const HOSTILE_DESCRIPTION = '<img src=x onerror=alert(1)> Look, an image tag in a description.'
/** Name of the video that carries it. */
export const HOSTILE_DESCRIPTION_VIDEO = 'Harmless looking pottery class'

const PALETTE: [number, number, number][] = [[0x8c, 0x6a, 0x56], [0x5d, 0x7b, 0x8a], [0x7d, 0x8a, 0x5c], [0x8a, 0x5d, 0x78], [0x5f, 0x63, 0x91], [0x9a, 0x7b, 0x4f], [0x4f, 0x8a, 0x78]]

/** A small PNG: a colour, a lighter disc and a darker hill, so screenshots show distinct pictures. */
export function png(width: number, height: number, colour: [number, number, number], seed = 0): Buffer {
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3)
    for (let x = 0; x < width; x++) {
      const disc = (x - width * (0.25 + (seed % 5) / 10)) ** 2 + (y - height * 0.3) ** 2 < (height * 0.16) ** 2
      const hill = y > height - (width / 2 - Math.abs(x - width * 0.45)) * 0.8
      const k = disc ? 1.25 : hill ? 0.8 : 1
      for (let c = 0; c < 3; c++) row[1 + x * 3 + c] = Math.min(255, Math.round(colour[c]! * k))
    }
    rows.push(row)
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))])
}

/** The video whose thumbnail its instance cannot serve (a 404 from the instance). */
export const BROKEN_THUMBNAIL_VIDEO = 'Pottery glaze recipes'

// Thumbnails and avatars: the fake serves PeerTube's paths; the crawler never fetches them, browsers (or the
// gateway's image proxy) do.
function picture(req: FakeRequest): FakeResponse | undefined {
  const m = /^\/(?:lazy-)?static\/(thumbnails|previews|avatars)\/(.+)$/.exec(req.path)
  if (!m) return undefined
  if (brokenThumbnails.has(m[2]!.replace(/\.\w+$/, ''))) return { status: 404, body: { error: 'File not found' } }
  const seed = [...m[2]!].reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) >>> 0, 7)
  const colour = PALETTE[seed % PALETTE.length]!
  const body = m[1] === 'avatars' ? png(24, 24, colour, seed) : png(160, 90, colour, seed)
  return { status: 200, raw: body, headers: { 'content-type': 'image/png', 'cache-control': 'max-age=3600' } }
}
const brokenThumbnails = new Set<string>()

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString()

/**
 * Crawls the site's test federation into a temporary database. Besides the standard content (all from 2023–24),
 * four pottery videos are recent, a few hours to a few months old, so each published-date filter keeps a
 * different number of them.
 */
export async function siteFederation(): Promise<CrawledFederation> {
  const specs = standardFederation()
  const newTube = specs[2]!
  const dated = (name: string, days: number, extra: Partial<FakeVideo>) => {
    const date = daysAgo(days)
    return fakeVideo({ name, tags: ['pottery'], createdAt: date, updatedAt: date, publishedAt: date, ...extra })
  }
  const broken = dated(BROKEN_THUMBNAIL_VIDEO, 400, { duration: 400 })
  // The fake names a thumbnail file after its video (see test/fake/format.ts).
  brokenThumbnails.add(uuidFrom('thumb:' + broken.uuid))
  newTube.videos!.push(
    dated('Pottery wheel basics', 0.1, { duration: 95 }),
    dated(HOSTILE_DESCRIPTION_VIDEO, 3, { description: HOSTILE_DESCRIPTION }),
    dated('Pottery kiln firing', 20, { duration: 1500 }),
    dated('Histoire de la poterie', 200, { language: 'fr', category: 4, licence: 7, duration: 3000 }),
    broken,
  )
  // An empty playlist, which search leaves out.
  newTube.playlists!.push(fakePlaylist({ displayName: 'Empty pottery shelf', videosLength: 0 }))
  for (const spec of specs) spec.respond = picture
  return crawledFederation(specs)
}
