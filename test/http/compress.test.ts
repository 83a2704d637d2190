// Compression of text responses over real HTTP on loopback: negotiated (brotli, gzip, or none), announced in Vary,
// the same bytes once decoded, and never applied to pictures or to bodies too small to gain.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from '../../src/http/app.ts'
import { negotiateEncoding } from '../../src/http/compress.ts'
import { crawledFederation, type CrawledFederation } from '../helpers/crawled.ts'

let fed: CrawledFederation
let server: ServerType
let port: number

before(async () => {
  fed = await crawledFederation()
  server = serve({ fetch: createApp({ db: fed.db, config: fed.config }).fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  port = (server.address() as AddressInfo).port
})
after(async () => {
  await new Promise((resolve) => server.close(resolve))
  await fed.close()
})

// A raw GET (fetch would decode the body itself and hide what travelled).
function get(path: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('HTML, CSS, JavaScript and API JSON are compressed as the client accepts, and say so in Vary', async () => {
  const home = await get('/')
  const css = /href="(\/static\/style\.[0-9a-f]+\.css)"/.exec(home.body.toString())![1]!
  const js = /src="(\/static\/enhance\.[0-9a-f]+\.js)"/.exec(home.body.toString())![1]!
  for (const path of ['/', '/search?search=linux', '/about', css, js, '/nowhere', '/api/v1/search/videos?search=linux']) {
    const plain = await get(path)
    assert.equal(plain.headers['content-encoding'], undefined, `${path}: nothing asked, nothing compressed`)
    assert.match(String(plain.headers.vary), /Accept-Encoding/, path)
    const br = await get(path, 'gzip, deflate, br')
    assert.equal(br.headers['content-encoding'], 'br', path)
    assert.deepEqual(brotliDecompressSync(br.body), plain.body, `${path}: the same bytes once decoded`)
    assert.ok(br.body.length < plain.body.length / 2, `${path}: ${plain.body.length} → ${br.body.length} bytes`)
    const gz = await get(path, 'gzip;q=1, br;q=0')
    assert.equal(gz.headers['content-encoding'], 'gzip', path)
    assert.deepEqual(gunzipSync(gz.body), plain.body, path)
    assert.equal((await get(path, 'identity')).headers['content-encoding'], undefined, path)
  }
  const small = await get('/api/v1/config', 'br')
  assert.equal(small.status, 200)
  assert.match(String(small.headers['content-type']), /application\/json/)
  assert.match(String(small.headers.vary), /Accept-Encoding/)
  assert.equal(small.headers['content-encoding'], undefined, 'a body under 1 KB is not worth compressing')
})

test('pictures are never compressed: they are compressed already', async () => {
  const home = (await get('/')).body.toString()
  const logo = /href="(\/static\/logo\.[0-9a-f]+\.svg)"/.exec(home)?.[1] ?? /src="(\/static\/logo\.[0-9a-f]+\.svg)"/.exec(home)![1]!
  // The bundled SVG logo is text and small: below the threshold, untouched.
  assert.equal((await get(logo, 'br')).headers['content-encoding'], undefined)
  const picture = await get('/images/videos/00000000-0000-4000-8000-000000000000', 'br')
  assert.equal(picture.status, 404)
  assert.equal(picture.headers['content-encoding'], undefined)
})

test('Accept-Encoding is read with its weights', () => {
  assert.equal(negotiateEncoding('gzip, deflate, br'), 'br')
  assert.equal(negotiateEncoding('gzip'), 'gzip')
  assert.equal(negotiateEncoding('br;q=0, gzip;q=0.5'), 'gzip')
  assert.equal(negotiateEncoding('gzip;q=1, br;q=0.5'), 'gzip')
  assert.equal(negotiateEncoding('*'), 'br')
  assert.equal(negotiateEncoding('*;q=0, identity'), null)
  assert.equal(negotiateEncoding('identity'), null)
  assert.equal(negotiateEncoding(undefined), null)
  assert.equal(negotiateEncoding('deflate'), null)
})
