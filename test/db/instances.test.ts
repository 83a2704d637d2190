import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'
import { syncInstances, allInstances, beginListing, failInstanceCrawl, instanceByHost, savePassCursor } from '../../src/db/instances.ts'

function fresh() {
  const db = openDb(':memory:')
  migrate(db)
  return db
}
const hosts = (db: ReturnType<typeof fresh>) => allInstances(db).map((i) => i.host)

test('membership: list plus configured hosts minus blocked ones; a list that failed or was cut drops nobody', () => {
  const db = fresh()
  let r = syncInstances(db, { listed: ['a.example', 'b.example', 'c.example'], listComplete: true, configured: ['d.example'], blocked: ['c.example'] })
  assert.deepEqual(hosts(db), ['a.example', 'b.example', 'd.example'])
  assert.deepEqual(r.added.sort(), ['a.example', 'b.example', 'd.example'])
  r = syncInstances(db, { listed: null, listComplete: true, configured: ['d.example'], blocked: [] })
  assert.deepEqual(hosts(db), ['a.example', 'b.example', 'd.example'], 'list down: keep what we had')
  r = syncInstances(db, { listed: ['a.example'], listComplete: false, configured: ['d.example'], blocked: [] })
  assert.deepEqual(hosts(db), ['a.example', 'b.example', 'd.example'], 'list cut short by maxListPages: add only')
  r = syncInstances(db, { listed: ['a.example', 'd.example'], listComplete: true, configured: [], blocked: [] })
  assert.deepEqual(hosts(db), ['a.example', 'd.example'])
  assert.deepEqual(r.removed, ['b.example'])
  r = syncInstances(db, { listed: ['a.example', 'd.example'], listComplete: true, configured: [], blocked: ['A.example'] })
  assert.deepEqual(r.removed, ['a.example'], 'blocking is case-insensitive')
  assert.deepEqual(hosts(db), ['d.example'])
  db.close()
})

test('each listing pass gets a stamp strictly after the previous one; a pass in progress keeps its stamp and cursor', () => {
  const db = fresh()
  syncInstances(db, { listed: ['a.example'], listComplete: true, configured: [], blocked: [] })
  const { id } = instanceByHost(db, 'a.example')!
  const t = 1_700_000_000_000
  const endPass = () => failInstanceCrawl(db, id, 'ended', { durationMs: 0, requests: 0 }, 60_000, t)
  const first = beginListing(db, id, t)
  assert.equal(first.cursor, null)
  const cursor = { kind: 'videos' as const, start: 300, last: 'x', sweep: true, listed: 300, skipped: 0, claimed: {} }
  savePassCursor(db, id, cursor)
  assert.deepEqual(beginListing(db, id, t + 1000), { stamp: first.stamp, cursor }, 'continued where it stood')
  endPass()
  const second = beginListing(db, id, t).stamp
  endPass()
  const third = beginListing(db, id, t - 5000).stamp // a clock that went backwards
  assert.ok(first.stamp < second && second < third)
  db.close()
})
