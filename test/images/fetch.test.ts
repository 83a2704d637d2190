// The image proxy's fetcher against real HTTP servers on loopback: only real raster pictures, under the size cap,
// never through a redirect, never from a private address unless the configuration allows it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseConfig } from '../../src/config/config.ts'
import { createImageFetcher, sniffImageType, type ImageFetcher } from '../../src/images/fetch.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { png } from '../ui/fixture.ts'

const PNG = png(16, 9, [200, 100, 50])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60)])
const crawl = (overrides: Record<string, unknown> = {}) =>
  parseConfig({ crawl: { allowPrivateAddresses: true, useHttp: true, timeoutMs: 1000, ...overrides } }).crawl

async function withServer(
  handler: Parameters<typeof startServer>[0],
  run: (server: TestServer, fetcher: ImageFetcher) => Promise<void>,
  fetcher = createImageFetcher(crawl(), { maxBytes: 64 * 1024 }),
) {
  const server = await startServer(handler)
  try {
    await run(server, fetcher)
  } finally {
    await fetcher.close()
    await server.close()
  }
}

test('a PNG or a JPEG is fetched, typed by its bytes, with the crawler User-Agent and no Referer', async () => {
  await withServer((req, res) => {
    res.writeHead(200, { 'content-type': req.url === '/a.jpg' ? 'image/jpeg' : 'image/png' })
    res.end(req.url === '/a.jpg' ? JPEG : PNG)
  }, async (server, fetcher) => {
    const image = await fetcher.fetch(`${server.origin}/a.png`)
    assert.equal(image.type, 'image/png')
    assert.deepEqual(image.body, PNG)
    assert.equal((await fetcher.fetch(`${server.origin}/a.jpg`)).type, 'image/jpeg')
    assert.match(String(server.requests[0]!.headers['user-agent']), /^Sepia\//)
    assert.equal(server.requests[0]!.headers.referer, undefined)
    assert.equal(server.requests[0]!.headers.cookie, undefined)
  })
})

test('anything but a raster picture is refused: HTML, SVG, a lying content type', async () => {
  const bodies: Record<string, [string, string | Buffer]> = {
    '/page': ['text/html', '<html><script>alert(1)</script></html>'],
    '/vector': ['image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
    '/lie': ['image/png', '<html>not a picture</html>'],
    '/none': ['', PNG],
  }
  await withServer((req, res) => {
    const [type, body] = bodies[req.url!]!
    res.writeHead(200, type ? { 'content-type': type } : {})
    res.end(body)
  }, async (server, fetcher) => {
    await assert.rejects(fetcher.fetch(`${server.origin}/page`), /text\/html, not a picture/)
    await assert.rejects(fetcher.fetch(`${server.origin}/vector`), /image\/svg\+xml, not a picture/)
    await assert.rejects(fetcher.fetch(`${server.origin}/lie`), /the bytes are not a picture/)
    await assert.rejects(fetcher.fetch(`${server.origin}/none`), /no content type, not a picture/)
  })
})

test('a picture over the size cap is refused, and reading stops there', async () => {
  let written = 0
  await withServer((req, res) => {
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(10 * 1024 * 1024) })
      res.end()
      return
    }
    // No length announced: an endless stream of PNG-looking bytes.
    res.writeHead(200, { 'content-type': 'image/png' })
    const chunk = Buffer.alloc(16 * 1024, 1)
    const pump = () => {
      while (written < 50 * 1024 * 1024 && res.write(chunk)) written += chunk.length
      if (written < 50 * 1024 * 1024) res.once('drain', pump)
      else res.end()
    }
    res.write(PNG)
    pump()
    res.on('close', () => res.removeAllListeners('drain'))
  }, async (server, fetcher) => {
    await assert.rejects(fetcher.fetch(`${server.origin}/declared`), /larger than 65536 bytes/)
    await assert.rejects(fetcher.fetch(`${server.origin}/stream`), /larger than 65536 bytes/)
    assert.ok(written < 10 * 1024 * 1024, `the server could only push ${written} bytes before we hung up`)
  })
})

test('redirects are not followed, errors and timeouts are failures', async () => {
  let hang = 0
  await withServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/a.png' })
      return res.end()
    }
    if (req.url === '/gone') {
      res.writeHead(404, { 'content-type': 'image/png' })
      return res.end(PNG)
    }
    hang++ // /slow: never answers
  }, async (server, fetcher) => {
    await assert.rejects(fetcher.fetch(`${server.origin}/moved`), /HTTP 302 \(redirects are not followed\)/)
    assert.equal(server.requests.filter((r) => r.url === '/a.png').length, 0)
    await assert.rejects(fetcher.fetch(`${server.origin}/gone`), /HTTP 404/)
    const started = performance.now()
    await assert.rejects(fetcher.fetch(`${server.origin}/slow`), /network error/)
    assert.ok(performance.now() - started < 5000, 'the timeout (1 s) ends the wait')
    assert.equal(hang, 1)
  })
})

test('private addresses are refused, literal or behind a name, unless the configuration allows them', async () => {
  await withServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' })
    res.end(PNG)
  }, async (server, fetcher) => {
    await assert.rejects(fetcher.fetch(`${server.origin}/a.png`), /refused private address 127\.0\.0\.1/)
    await assert.rejects(fetcher.fetch(`http://pictures.example:${server.port}/a.png`), /ESEPIAPRIVATE|private address/)
    assert.equal(server.requests.length, 0, 'nothing reached the server')
  }, createImageFetcher(crawl({ allowPrivateAddresses: false }), {
    resolver: (_host, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]),
  }))
})

test('sniffing knows JPEG, PNG, GIF, WebP and AVIF, and nothing else', () => {
  assert.equal(sniffImageType(JPEG), 'image/jpeg')
  assert.equal(sniffImageType(PNG), 'image/png')
  assert.equal(sniffImageType(Buffer.from('GIF89a......')), 'image/gif')
  assert.equal(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'image/webp')
  assert.equal(sniffImageType(Buffer.from('\0\0\0\x1cftypavif\0\0\0\0')), 'image/avif')
  assert.equal(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null)
  assert.equal(sniffImageType(Buffer.from('')), null)
})
