// The site's test federation: the standard fake federation, plus a video whose description is hostile HTML, plus
// thumbnails and avatars served as small SVG pictures so that screenshots show what visitors would see.
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'
import { fakeVideo, standardFederation, type FakeRequest, type FakeResponse, type FakeVideo } from '../fake/federation.ts'

/** Text of the hostile description; the page must show it as text. */
export const HOSTILE_DESCRIPTION = '<img src=x onerror=alert(1)> Look, an image tag in a description.'
/** Name of the video that carries it. */
export const HOSTILE_DESCRIPTION_VIDEO = 'Harmless looking pottery class'

const PALETTE = ['#8c6a56', '#5d7b8a', '#7d8a5c', '#8a5d78', '#5f6391', '#9a7b4f', '#4f8a78']

// Thumbnails and avatars: the fake serves PeerTube's paths; the crawler never fetches them, browsers do.
function picture(req: FakeRequest): FakeResponse | undefined {
  const m = /^\/(?:lazy-)?static\/(thumbnails|previews|avatars)\/(.+)$/.exec(req.path)
  if (!m) return undefined
  const seed = [...m[2]!].reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) >>> 0, 7)
  const colour = PALETTE[seed % PALETTE.length]!
  const svg =
    m[1] === 'avatars'
      ? `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="${colour}"/><circle cx="5" cy="4" r="2" fill="#ffffff88"/><path d="M1.5 10a3.5 3.5 0 0 1 7 0z" fill="#ffffff88"/></svg>`
      : `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 180"><rect width="320" height="180" fill="${colour}"/><circle cx="${60 + (seed % 200)}" cy="52" r="26" fill="#ffffff30"/><path d="M0 180 ${90 + (seed % 60)} 96l70 84z" fill="#00000026"/><path d="M120 180l90-70 110 70z" fill="#00000018"/></svg>`
  return { status: 200, raw: svg, headers: { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=3600' } }
}

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
  newTube.videos!.push(
    dated('Pottery wheel basics', 0.1, { duration: 95 }),
    dated(HOSTILE_DESCRIPTION_VIDEO, 3, { description: HOSTILE_DESCRIPTION }),
    dated('Pottery kiln firing', 20, { duration: 1500 }),
    dated('Histoire de la poterie', 200, { language: 'fr', category: 4, licence: 7, duration: 3000 }),
  )
  for (const spec of specs) spec.respond = picture
  return crawledFederation(specs)
}
