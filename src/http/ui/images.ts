// The image proxy's routes (see src/images/): thin, they read the address, ask the proxy and set the headers.
import { Hono, type Context } from 'hono'
import { imageRef, type ImageProxy, type ImageRef } from '../../images/proxy.ts'

// Shown when an instance could not give a picture: a transparent pixel, so the page's neutral background shows
// instead of a broken-image icon. Never cached: the next page view may find the picture.
const PLACEHOLDER = bytes(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'))

// A Buffer as the Uint8Array a response body takes (Node's Buffers are never shared memory).
function bytes(b: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length)
}

/** The /images/ routes of the site, answered by `proxy`. */
export function imageRoutes(proxy: ImageProxy): Hono {
  const app = new Hono()
  const answer = async (c: Context, ref: ImageRef | null) => {
    // Pictures are for this site's pages only: other sites may not make visitors' browsers fetch them here.
    c.header('Cross-Origin-Resource-Policy', 'same-origin')
    if (!ref) return c.body('No such picture.\n', 404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=600' })
    const a = await proxy.serve(ref)
    if (a.status === 404) return c.body('No such picture.\n', 404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=600' })
    if (a.status === 502) return c.body(PLACEHOLDER, 502, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' })
    // The address carries a digest of the picture's source URL: when it is the current one, the picture at this
    // address never changes (a new thumbnail gets a new address), so browsers may keep it for a year.
    const current = c.req.query('v') === a.version
    return c.body(bytes(a.image.body), 200, {
      'Content-Type': a.image.type,
      'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    })
  }
  app.get('/videos/:id', (c) => answer(c, imageRef('videos', c.req.param('id'))))
  app.get('/videos/:id/avatar/:size', (c) => answer(c, imageRef('videos', c.req.param('id'), c.req.param('size'))))
  app.get('/playlists/:id', (c) => answer(c, imageRef('playlists', c.req.param('id'))))
  app.get('/channels/:handle/avatar/:size', (c) => answer(c, imageRef('channels', c.req.param('handle'), c.req.param('size'))))
  app.all('*', (c) => answer(c, null))
  return app
}
