// Instances that limit us (issue 13): PeerTube's own rate limiter, 429 storms, and hosts that stop answering for a
// while. A rate-limited instance ends fully indexed without ever being sent more than it advertised; a storm is
// waited out; an instance is failed only after failing for crawl.failAfterMinutes, never for a single request.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../src/db/open.ts'
import { runCrawl } from '../../src/crawler/run.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { fakeVideo, startFakeFederation, type ConfigOverrides, type FakeInstanceSpec } from '../fake/federation.ts'
import { when } from '../fake/hostile.ts'

const TIMEOUT = { timeout: 60_000 }

/** Videos with their details in, of one host. */
const detailed = (db: Db, host: string) =>
  db.prepare('SELECT count(*) FROM videos v JOIN instances i ON i.id = v.instance_id WHERE i.host = ? AND v.details_updated_at IS v.updated_at').pluck().get(host) as number

async function crawlOne(spec: FakeInstanceSpec, crawl: ConfigOverrides) {
  const fed = await startFakeFederation([spec])
  const config = fed.config({ crawl })
  const db = openTestDb(config)
  const started = performance.now()
  const summary = await runCrawl({ db, config })
  return { fed, inst: fed.instances[0]!, db, summary, result: summary.instances[0]!, ms: performance.now() - started, close: async () => (db.close(), await fed.close()) }
}

const videos = (n: number) => Array.from({ length: n }, (_, i) => fakeVideo({ name: `Throttled ${i}`, tags: ['t'] }))

test('a rate-limited instance ends fully indexed, never sent more than its advertised limit, without a single 429', TIMEOUT, async () => {
  // PeerTube's limiter scaled down in time: 40 requests per 1 s window instead of 50 per 10 s.
  const c = await crawlOne({ version: '7.1.0', videos: videos(80), rateLimit: { limit: 40, windowMs: 1000 } }, { perHostRequestsPerSecond: 100 })
  try {
    assert.deepEqual([c.result.status, c.result.error], ['ok', null])
    assert.equal(detailed(c.db, c.inst.host), 80)
    assert.equal(c.inst.limiter.refused, 0, 'not one request over the limit')
    assert.ok(c.inst.limiter.maxInWindow <= 40, `${c.inst.limiter.maxInWindow} requests in one window`)
    // Well under it by default (crawl.rateLimitShare 0.6).
    assert.ok(c.inst.limiter.maxInWindow <= 0.6 * 40 + 2, `${c.inst.limiter.maxInWindow} in one window`)
    // It started at 100 requests/s: the first answer's headers brought it down to the share of the limit.
    assert.equal(c.summary.instances[0]!.requests, c.inst.requests.length)
  } finally {
    await c.close()
  }
})

test('with the whole limit to use (rateLimitShare 1), the limit is still never exceeded', TIMEOUT, async () => {
  const c = await crawlOne({ version: '7.1.0', videos: videos(80), rateLimit: { limit: 20, windowMs: 1000 } }, { perHostRequestsPerSecond: 50, rateLimitShare: 1 })
  try {
    assert.equal(c.result.status, 'ok')
    assert.equal(detailed(c.db, c.inst.host), 80)
    assert.equal(c.inst.limiter.refused, 0)
    assert.ok(c.inst.limiter.maxInWindow <= 20)
  } finally {
    await c.close()
  }
})

test('a 429 storm (everything refused for a while, again and again) is waited out: fully indexed, not failed', TIMEOUT, async () => {
  const start = Date.now()
  // Refused during the first 1.2 s of every 2.5 s, from the very first request.
  const storm = (r: { path: string; url: string; at: number }) =>
    (r.at - start) % 2500 < 1200 ? { status: 429, headers: { 'retry-after': '1' }, body: { status: 429, instance: r.url } } : undefined
  const c = await crawlOne({ version: '7.1.0', videos: videos(60), respond: storm }, { failAfterMinutes: 1, maxRetries: 2, maxRetryDelayMs: 2000, retryBaseDelayMs: 100 })
  try {
    assert.deepEqual([c.result.status, c.result.error], ['ok', null])
    assert.equal(detailed(c.db, c.inst.host), 60)
    assert.equal(c.result.details.failed, 0)
    assert.ok(c.inst.requests.length > c.result.details.fetched + 6, 'there was a storm to wait out')
    assert.equal(instanceByHost(c.db, c.inst.host)!.errorCount, 0)
  } finally {
    await c.close()
  }
})

test('a host that answered, then fails, is failed only after crawl.failAfterMinutes without a success', TIMEOUT, async () => {
  const spec = (): FakeInstanceSpec => ({
    version: '7.1.0',
    videos: videos(150),
    // The second listing page fails, and keeps failing.
    respond: (r) => (when.listing(r) && r.query.start === '100' ? { status: 503, body: {} } : undefined),
  })
  const quick = await crawlOne(spec(), { failAfterMinutes: 0, maxRetries: 2, retryBaseDelayMs: 20, maxRetryDelayMs: 50 })
  const patient = await crawlOne(spec(), { failAfterMinutes: 0.03, maxRetries: 2, retryBaseDelayMs: 20, maxRetryDelayMs: 50 })
  try {
    const tries = (c: typeof quick) => c.inst.requests.filter((r) => when.listing(r) && r.query.start === '100').length
    assert.equal(quick.result.error, 'listing videos: answered HTTP 503')
    assert.equal(tries(quick), 3, 'without a failure window: maxRetries, then failed')
    assert.equal(patient.result.error, 'listing videos: answered HTTP 503')
    assert.ok(patient.ms >= 1800, `kept trying for the 1.8 s window (${patient.ms.toFixed(0)} ms)`)
    assert.ok(tries(patient) > 3, `${tries(patient)} tries`)
    // Failed, it keeps what it listed before, and is retried later.
    for (const c of [quick, patient]) {
      const row = instanceByHost(c.db, c.inst.host)!
      assert.deepEqual([row.videosCount, row.errorCount], [100, 1])
      assert.ok(row.nextCrawlAt! > Date.now())
    }
  } finally {
    await quick.close()
    await patient.close()
  }
})

test('no instance is failed by a single request: a page failing once is retried, a video failing for good is counted', TIMEOUT, async () => {
  let failedOnce = false
  const list = videos(120)
  const broken = list[7]!
  const c = await crawlOne(
    {
      version: '7.1.0',
      videos: list,
      respond: (r) => {
        if (when.listing(r) && r.query.start === '100' && !failedOnce) {
          failedOnce = true
          return { status: 502, body: {} }
        }
        if (r.path === `/api/v1/videos/${broken.uuid}`) return { status: 500, body: {} }
        return undefined
      },
    },
    {},
  )
  try {
    assert.deepEqual([c.result.status, c.result.error], ['ok', null])
    assert.deepEqual(c.result.details, { fetched: 119, failed: 1, pending: 1 })
    assert.equal(instanceByHost(c.db, c.inst.host)!.videosCount, 120, 'the video whose details fail is indexed from its listing')
  } finally {
    await c.close()
  }
})
