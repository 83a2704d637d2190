import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createApp } from '../../src/http/app.ts'
import { parseConfig } from '../../src/config/config.ts'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'

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
