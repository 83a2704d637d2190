// The disk fills up in the middle of a crawl (issue 9, item 7). SQLite's max_page_count makes the real "database
// or disk is full" error at a chosen size. The index stays intact and searchable, what the crawl reports is what
// was committed, and the run is recorded as failed, by `sepia crawl`'s runs and by the scheduler's alike.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../src/db/open.ts'
import { runCrawl, type CrawlSummary } from '../../src/crawler/run.ts'
import { startScheduler } from '../../src/crawler/scheduler.ts'
import { recentRuns } from '../../src/db/crawl-runs.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { fakeVideo, startFakeFederation } from '../fake/federation.ts'

const TIMEOUT = { timeout: 60_000 }

async function fillingUp() {
  const fed = await startFakeFederation([
    { version: '7.1.0', videos: Array.from({ length: 1200 }, (_, i) => fakeVideo({ name: `Filling video ${i}`, description: 'words '.repeat(40) })) },
  ])
  const config = fed.config({ crawl: { concurrency: 1, schedule: '0 0 1 1 *' } })
  const db = openTestDb(config)
  // Room for a few pages of videos, not for 1200.
  db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 400}`)
  return { fed, config, db, close: async () => (db.close(), await fed.close()) }
}

function assertIntactAndCounted(db: Db, s: CrawlSummary): void {
  const stored = db.prepare('SELECT count(*) FROM videos').pluck().get() as number
  assert.ok(stored > 0 && stored < 1200, `the disk filled up mid-crawl (${stored} videos stored)`)
  assert.equal(s.status, 'failed')
  assert.match(s.error ?? '', /^the database could not be written: database or disk is full/)
  assert.equal(s.totals.videosNew, stored, 'the summary counts what was committed, not what was attempted')
  assert.equal(s.instances[0]!.videos.total, stored)
  assert.equal(recentRuns(db, 1)[0]!.status, 'failed', 'the run is recorded as failed')
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok')
  const q = parseVideosParams({ search: 'filling', count: '10' })
  assert.ok(q.ok)
  assert.equal(searchVideos(db, q.query).total, stored, 'search keeps working on what was written')
}

test('disk full mid-crawl: `sepia crawl` counts only what was committed and records the run as failed', TIMEOUT, async () => {
  const c = await fillingUp()
  try {
    const s = await runCrawl({ db: c.db, config: c.config })
    assertIntactAndCounted(c.db, s)
    assert.equal(s.instances[0]!.status, 'failed')
  } finally {
    await c.close()
  }
})

test('disk full mid-crawl: the scheduler records its run as failed and pauses instead of hammering the disk', TIMEOUT, async () => {
  const c = await fillingUp()
  try {
    let ended!: (s: CrawlSummary) => void
    const summary = new Promise<CrawlSummary>((resolve) => (ended = resolve))
    const scheduler = startScheduler({ db: c.db, config: c.config, onCrawlEnd: (s) => ended(s) })
    const s = await summary
    await scheduler.idle()
    const requests = c.fed.instances[0]!.requests.length
    await scheduler.stop()
    assertIntactAndCounted(c.db, s)
    assert.equal(c.fed.instances[0]!.requests.length, requests, 'nothing more was tried')
  } finally {
    await c.close()
  }
})
