// The image proxy on a crawled fake federation: pages address pictures by id on the gateway's own origin, each
// picture is fetched from its instance once (concurrent askers share the fetch), kept on disk across restarts,
// and only URLs the index holds, on the object's own instance, are ever fetched.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import type { Config } from '../../src/config/config.ts'
import { createApp } from '../../src/http/app.ts'
import type { CrawledFederation } from '../helpers/crawled.ts'
import { startServer } from '../helpers/server.ts'
import { BROKEN_THUMBNAIL_VIDEO, png, siteFederation } from '../ui/fixture.ts'

let fed: CrawledFederation

before(async () => {
  fed = await siteFederation()
})
after(() => fed.close())

const appWith = (site: Partial<Config['site']> = {}) => createApp({ db: fed.db, config: { ...fed.config, site: { ...fed.config.site, ...site } } })
const pictureRequests = () => fed.federation.instances.flatMap((i) => i.requests.filter((r) => /\/(lazy-)?static\//.test(r.path)))
const sources = (page: string) => [...page.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))

test('with proxyImages on (the default), pages load every picture from the gateway, and the CSP allows nothing else', async () => {
  assert.equal(fed.config.site.proxyImages, true)
  const app = appWith()
  for (const path of ['/search?search=pottery', '/search?search=cuisine', '/search?resultType=channels', '/search?resultType=playlists']) {
    const res = await app.request(path)
    const srcs = sources(await res.text())
    assert.ok(srcs.some((s) => s.startsWith('/images/')), `${path} shows pictures`)
    for (const src of srcs) assert.match(src, /^\/(images|static)\//, `${path}: ${src} is on the gateway`)
    assert.match(res.headers.get('Content-Security-Policy') ?? '', /img-src 'self' data:;/, 'no other origin for pictures')
  }
})

test('a picture is fetched once however many ask at once, then served from disk, even after a restart', async () => {
  const page = await (await appWith().request('/search?search=kiln')).text()
  const src = sources(page).find((s) => /^\/images\/videos\/[0-9a-f-]{36}\?v=/.test(s))!
  const before = pictureRequests().length
  // Ten visitors at once.
  const app = appWith()
  const answers = await Promise.all(Array.from({ length: 10 }, () => app.request(src)))
  for (const res of answers) {
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('Content-Type'), 'image/png')
    assert.equal(res.headers.get('Cache-Control'), 'public, max-age=31536000, immutable', 'its address names this version')
    assert.equal(res.headers.get('Cross-Origin-Resource-Policy'), 'same-origin')
  }
  const body = Buffer.from(await answers[0]!.arrayBuffer())
  assert.deepEqual(body.subarray(0, 8), png(1, 1, [0, 0, 0]).subarray(0, 8), 'a PNG')
  assert.equal(pictureRequests().length, before + 1, 'the instance was asked once')
  assert.equal(readdirSync(fed.config.site.imageCacheDir).filter((f) => f.endsWith('.png')).length >= 1, true)

  const restarted = appWith()
  const again = await restarted.request(src)
  assert.deepEqual(Buffer.from(await again.arrayBuffer()), body)
  assert.equal(pictureRequests().length, before + 1, 'served from the disk cache after a restart')

  const stale = await restarted.request(src.replace(/v=[0-9a-f]+/, 'v=000000000000'))
  assert.equal(stale.status, 200)
  assert.equal(stale.headers.get('Cache-Control'), 'public, max-age=3600', 'an old address gets the current picture, briefly cached')
})

test('avatars of video channels and of channels are proxied too, at the sizes pages ask for', async () => {
  const app = appWith()
  const page = await (await app.request('/search?search=cuisine')).text()
  const avatars = sources(page).filter((s) => s.includes('/avatar/'))
  assert.ok(avatars.some((s) => s.startsWith('/images/channels/')), 'a channel result avatar')
  assert.ok(avatars.some((s) => /^\/images\/videos\/[^/]+\/avatar\/24\?/.test(s)), 'a video channel avatar')
  for (const src of avatars) {
    const res = await app.request(src)
    assert.equal(res.status, 200, src)
    assert.equal(res.headers.get('Content-Type'), 'image/png', src)
  }
  assert.equal((await app.request(avatars[0]!.replace(/\/avatar\/\d+/, '/avatar/23'))).status, 404, 'only the sizes pages use')
})

test('only URLs the index holds are fetched: unknown ids, URLs in the request and foreign hosts get 404', async () => {
  const app = appWith()
  const before = pictureRequests().length
  const elsewhere = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' })
    res.end(png(4, 4, [1, 2, 3]))
  })
  try {
    for (const path of [
      '/images/videos/00000000-0000-4000-8000-000000000000',
      `/images/videos/${encodeURIComponent(`${elsewhere.origin}/x.png`)}`,
      `/images/videos/x?url=${encodeURIComponent(`${elsewhere.origin}/x.png`)}`,
      '/images/channels/nobody@nowhere.example/avatar/64',
      '/images/anything',
    ]) {
      const res = await app.request(path)
      assert.equal(res.status, 404, path)
    }
    // A thumbnail URL in the index that left its instance (it cannot come from the crawler, which keeps only
    // on-instance URLs) is not fetched either.
    const { uuid, url } = fed.db.prepare("SELECT uuid, thumbnail_url AS url FROM videos WHERE name = 'Pottery wheel basics'").get() as { uuid: string; url: string }
    fed.db.prepare('UPDATE videos SET thumbnail_url = ? WHERE uuid = ?').run(`${elsewhere.origin}/stolen.png`, uuid)
    try {
      assert.equal((await app.request(`/images/videos/${uuid}`)).status, 404)
    } finally {
      fed.db.prepare('UPDATE videos SET thumbnail_url = ? WHERE uuid = ?').run(url, uuid)
    }
    assert.equal(elsewhere.requests.length, 0, 'nothing was asked of another host')
    assert.equal(pictureRequests().length, before)
  } finally {
    await elsewhere.close()
  }
})

test('a picture its instance cannot give is a transparent placeholder (502), not asked again for a while', async () => {
  const app = appWith()
  const page = await (await app.request(`/search?search=${encodeURIComponent(BROKEN_THUMBNAIL_VIDEO)}`)).text()
  const src = sources(page).find((s) => /^\/images\/videos\/[0-9a-f-]{36}\?/.test(s))!
  const before = pictureRequests().length
  const first = await app.request(src)
  assert.equal(first.status, 502)
  assert.equal(first.headers.get('Content-Type'), 'image/gif')
  assert.equal(first.headers.get('Cache-Control'), 'no-store')
  assert.equal(pictureRequests().length, before + 1)
  assert.equal((await app.request(src)).status, 502)
  assert.equal(pictureRequests().length, before + 1, 'the failure is remembered')
})

test('with proxyImages off, pages link the instances directly, and the CSP allows them', async () => {
  const app = appWith({ proxyImages: false })
  const res = await app.request('/search?search=pottery')
  const srcs = sources(await res.text()).filter((s) => !s.startsWith('/static/'))
  assert.ok(srcs.length > 0)
  const origins = new Set(fed.federation.instances.map((i) => i.origin))
  for (const src of srcs) assert.ok(origins.has(new URL(src).origin), src)
  assert.match(res.headers.get('Content-Security-Policy') ?? '', /img-src 'self' data: https: http:;/)
  assert.equal((await app.request('/images/videos/00000000-0000-4000-8000-000000000000')).status, 404)
  const about = await (await app.request('/about')).text()
  assert.ok(about.includes('Thumbnails and avatars are loaded from the instances that host them'))
  assert.ok((await (await appWith().request('/about')).text()).includes('Thumbnails and avatars are fetched by this site'))
})
