// The video writer (src/db/videos.ts): listed videos of any instances written in few statements, in the order
// given, each told apart as written or refused (its uuid belongs to another instance).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { videoWriter } from '../../src/db/videos.ts'
import { instanceId, testDb, videoRecord } from '../search/seed.ts'

test('upsertMany: hundreds of videos of two instances in the order given; a uuid both list stays with the first', () => {
  const db = testDb()
  const a = instanceId(db, 'a.example')
  const b = instanceId(db, 'b.example')
  // 301 rows: statements of 256, 32, 8, 4 and 1 rows.
  const mine = Array.from({ length: 300 }, (_, i) => videoRecord({ name: `Heron ${i}`, host: 'a.example' }))
  const shared = videoRecord({ name: 'Shared heron', host: 'a.example' })
  const writer = videoWriter(db)
  const written = writer.upsertMany([
    ...mine.map((record) => ({ instanceId: a, record, now: 1 })),
    { instanceId: a, record: shared, now: 1 },
    { instanceId: b, record: { ...shared, name: 'A copy on b' }, now: 1 },
  ])
  assert.equal(written.length, 302)
  assert.ok(written.slice(0, 301).every(Boolean))
  assert.equal(written[301], false, 'the second instance does not take the uuid, even within one statement')
  const rows = db.prepare('SELECT uuid, name, instance_id AS instanceId FROM videos ORDER BY id').all() as { uuid: string; name: string; instanceId: number }[]
  assert.deepEqual(rows.map((r) => r.uuid), [...mine, shared].map((r) => r.uuid), 'written in the order given')
  assert.deepEqual(rows.at(-1), { uuid: shared.uuid, name: 'Shared heron', instanceId: a })
  // Written again: the owner's edit is taken, the other instance's copy still refused, details stored when given.
  const again = writer.upsertMany([
    { instanceId: b, record: { ...shared, name: 'A copy on b' }, now: 2 },
    { instanceId: a, record: { ...shared, name: 'Shared heron, renamed' }, now: 2, details: { description: 'Full text', tags: ['birds'] } },
  ])
  assert.deepEqual(again, [false, true])
  assert.deepEqual(db.prepare('SELECT name, description, tags, seen_at AS seenAt FROM videos WHERE uuid = ?').get(shared.uuid), {
    name: 'Shared heron, renamed', description: 'Full text', tags: '["birds"]', seenAt: 2,
  })
  assert.equal(db.prepare(`SELECT count(*) FROM videos_fts WHERE videos_fts MATCH 'heron'`).pluck().get(), 301, 'every row indexed')
  db.close()
})
