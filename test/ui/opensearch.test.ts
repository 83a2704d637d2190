// /opensearch.xml names the gateway's address in absolute URLs (the format requires them). With site.url it is the
// same for everyone and cacheable; without it, it is built from what the client says (its Host header), so no
// shared cache may keep it for others, and an absolute request URI never overrides the Host header. Over a real
// socket, as `sepia serve` answers, because that is where Host and absolute-form request targets are real.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from '../../src/http/app.ts'
import { parseConfig } from '../../src/config/config.ts'
import { openDb, type Db } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'

let db: Db
before(() => {
  db = openDb(':memory:')
  migrate(db)
})
after(() => db.close())

/** The app on a socket of 127.0.0.1 with this site configuration. */
async function listen(site: Record<string, unknown>): Promise<{ port: number; close(): Promise<void> }> {
  const app = createApp({ db, config: parseConfig({ database: { path: ':memory:' }, site }) })
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({
        port: info.port,
        close: () => new Promise<void>((done) => (server.close(() => done()), (server as Server).closeAllConnections())),
      }),
    )
  })
}

/** GET with a raw request target (origin-form or absolute-form) and Host header, as a client or a cache sends them. */
function get(port: number, target: string, host: string): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, headers: { host }, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('opensearch without site.url: built from the Host header, never stored by shared caches, never from an absolute URI', async () => {
  const s = await listen({})
  try {
    const own = `127.0.0.1:${s.port}`
    const plain = await get(s.port, '/opensearch.xml', own)
    assert.equal(plain.status, 200)
    assert.ok(plain.text.includes(`template="http://${own}/search?search={searchTerms}"`), plain.text)
    assert.equal(plain.headers['cache-control'], 'no-store')
    assert.match(String(plain.headers.vary), /\bHost\b/i)

    // An absolute request URI naming another host (what a cache-poisoning attempt sends): the Host header wins.
    const absolute = await get(s.port, 'http://evil.example/opensearch.xml', own)
    assert.equal(absolute.status, 200)
    assert.ok(!absolute.text.includes('evil.example'), absolute.text)
    assert.ok(absolute.text.includes(`http://${own}/search`))

    // A forged Host is answered only to whoever forged it: nothing may store it.
    const forged = await get(s.port, '/opensearch.xml', 'evil.example')
    assert.ok(forged.text.includes('http://evil.example/search'))
    assert.equal(forged.headers['cache-control'], 'no-store')
    assert.match(String(forged.headers.vary), /\bHost\b/i)

    // The about page shows the same address, from the same function, never the absolute URI's.
    const about = await get(s.port, 'http://evil.example/about', own)
    assert.ok(!about.text.includes('evil.example'))
    assert.ok(about.text.includes(`http://${own}`))
  } finally {
    await s.close()
  }
})

test('opensearch with site.url: the same document for every Host and request URI, cacheable for a day', async () => {
  const s = await listen({ url: 'https://search.example.org/', name: 'A name longer than sixteen characters' })
  try {
    const answers = await Promise.all([
      get(s.port, '/opensearch.xml', `127.0.0.1:${s.port}`),
      get(s.port, '/opensearch.xml', 'evil.example'),
      get(s.port, 'http://evil.example/opensearch.xml', 'other.example'),
    ])
    for (const a of answers) {
      assert.equal(a.status, 200)
      assert.equal(a.text, answers[0]!.text)
      assert.equal(a.headers['cache-control'], 'public, max-age=86400')
      assert.match(String(a.headers['content-type']), /^application\/opensearchdescription\+xml/)
    }
    const xml = answers[0]!.text
    for (const url of ['https://search.example.org/search?search={searchTerms}', 'https://search.example.org/suggestions?search={searchTerms}', 'https://search.example.org/opensearch.xml']) {
      assert.ok(xml.includes(`template="${url}"`), url)
    }
    assert.match(xml, /<Image type="image\/svg\+xml">https:\/\/search\.example\.org\/static\/logo\.[0-9a-f]+\.svg<\/Image>/)
    assert.ok(xml.includes('<ShortName>A name longer th</ShortName>'))
  } finally {
    await s.close()
  }
})
