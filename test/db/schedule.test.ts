// What is due, in which order: listings before details backlogs, never-crawled first, then whoever waited longest.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'
import { syncInstances, instanceByHost } from '../../src/db/instances.ts'
import { dueForDetails, dueForListing, nextDueAt } from '../../src/db/schedule.ts'

test('due listings: never crawled first, then the longest waiting; details backlogs take turns in order; the next due time', () => {
  const db = openDb(':memory:')
  migrate(db)
  const hosts = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example']
  syncInstances(db, { listed: hosts, listComplete: true, configured: [], blocked: [] })
  const id = (h: string) => instanceByHost(db, h)!.id
  const set = (h: string, sql: string, ...args: unknown[]) => db.prepare(`UPDATE instances SET ${sql} WHERE host = ?`).run(...args, h)
  const now = 1_800_000_000_000
  set('a.example', 'next_crawl_at = ?', now - 10_000) // waited 10 s
  set('b.example', 'next_crawl_at = ?', now - 60_000) // waited a minute
  // c: never crawled (NULL)
  set('d.example', 'next_crawl_at = ?, details_pending = 40, details_next_at = ?', now + 3600_000, now - 5000)
  set('e.example', 'next_crawl_at = ?, details_pending = 3, details_next_at = NULL', now + 7200_000)
  const hostsOf = (list: { host: string }[]) => list.map((i) => i.host)
  assert.deepEqual(hostsOf(dueForListing(db, now, 10, [])), ['c.example', 'b.example', 'a.example'])
  assert.deepEqual(hostsOf(dueForListing(db, now, 2, [id('c.example')])), ['b.example', 'a.example'], 'busy ones are left out')
  assert.deepEqual(hostsOf(dueForDetails(db, now, 10, [])), ['e.example', 'd.example'])
  set('d.example', 'details_next_at = ?', now + 60_000) // its details failed: not before a minute
  assert.deepEqual(hostsOf(dueForDetails(db, now, 10, [])), ['e.example'])
  set('d.example', 'refused = ?', 'robots.txt disallows /api/v1/videos')
  assert.equal(nextDueAt(db, [id('c.example')]), 0, 'a details backlog that may run now (e) is due now')
  set('e.example', 'details_next_at = ?', now + 500)
  assert.equal(nextDueAt(db, [id('c.example')]), now - 60_000)
  for (const h of ['a.example', 'b.example', 'c.example']) set(h, 'next_crawl_at = ?', now + 1000)
  assert.equal(nextDueAt(db, []), now + 500, 'the refused instance’s details do not count')
  set('e.example', 'details_pending = 0')
  assert.equal(nextDueAt(db, []), now + 1000)
  db.close()
})
