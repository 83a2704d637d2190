import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Hono } from 'hono'
import { rateLimit } from '../../src/http/rate-limit.ts'
import { createApp } from '../../src/http/app.ts'
import { parseConfig } from '../../src/config/config.ts'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'

function limitedApp(now: () => number) {
  const app = new Hono()
  app.use('*', rateLimit({ perMinute: 60, burst: 3, trustProxy: true, now }))
  app.get('/', (c) => c.text('ok'))
  return app
}

const from = (ip: string) => ({ headers: { 'x-forwarded-for': `203.0.113.9, ${ip}` } })

test('rate limit: a burst passes, the next request gets 429 with Retry-After, and tokens refill over time', async () => {
  let t = 1_000_000
  const app = limitedApp(() => t)
  for (let i = 0; i < 3; i++) assert.equal((await app.request('/', from('198.51.100.1'))).status, 200)
  const limited = await app.request('/', from('198.51.100.1'))
  assert.equal(limited.status, 429)
  assert.equal(limited.headers.get('retry-after'), '1')
  assert.match(limited.headers.get('content-type') ?? '', /application\/problem\+json/)
  assert.equal((await limited.json()).status, 429)
  // Another client is not affected.
  assert.equal((await app.request('/', from('198.51.100.2'))).status, 200)
  t += 1000 // one token per second at 60/min
  assert.equal((await app.request('/', from('198.51.100.1'))).status, 200)
  assert.equal((await app.request('/', from('198.51.100.1'))).status, 429)
})

test('rate limit: IPv6 clients are limited per /64, whatever the rest of the address', async () => {
  const app = limitedApp(() => 0)
  for (let i = 0; i < 3; i++) assert.equal((await app.request('/', from(`2001:db8:1:2::${i + 1}`))).status, 200)
  assert.equal((await app.request('/', from('2001:db8:1:2:ffff::9'))).status, 429)
  assert.equal((await app.request('/', from('2001:db8:1:3::1'))).status, 200)
})

test('the API refuses oversized POST bodies with 413 in the same problem format as every other error, and answers CORS', async () => {
  const db = openDb(':memory:')
  migrate(db)
  const config = parseConfig({ database: { path: ':memory:' }, api: { maxBodyBytes: 2048 } })
  const app = createApp({ db, config })
  const res = await app.request('/api/v1/search/videos?count=5', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://example.org' },
    body: JSON.stringify({ search: 'x'.repeat(5000) }),
  })
  assert.equal(res.status, 413)
  assert.equal(res.headers.get('access-control-allow-origin'), '*')
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  const body = await res.json()
  const notFound = await (await app.request('/api/v1/nowhere')).json()
  // The same fields, in the same order, as a 404 (and as PeerTube's own problems).
  assert.deepEqual(Object.keys(body), Object.keys(notFound))
  assert.deepEqual(
    { title: body.title, status: body.status, instance: body.instance, error: body.error },
    { title: 'Payload Too Large', status: 413, instance: '/api/v1/search/videos?count=5', error: body.detail },
  )
  db.close()
})
