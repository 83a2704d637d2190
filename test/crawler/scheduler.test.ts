// Crawl runs, the lease and the scheduler: state in the database, so restarts neither lose nor repeat work.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { runCrawl, CrawlBusyError } from '../../src/crawler/run.ts'
import { startScheduler } from '../../src/crawler/scheduler.ts'
import {
  acquireLease, leaseHolder, releaseLease, nextCrawlAt, setNextCrawlAt, recentRuns, LEASE_OWNER,
} from '../../src/db/crawl-runs.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { startFakeFederation, type FakeFederation } from '../fake/federation.ts'
import type { Db } from '../../src/db/open.ts'

// A schedule that never fires during a test (1 January, midnight).
const NEVER = '0 0 1 1 *'

async function setup(overrides: Record<string, unknown> = {}): Promise<{ fed: FakeFederation; db: Db; config: ReturnType<FakeFederation['config']>; done(): Promise<void> }> {
  const fed = await startFakeFederation()
  const config = fed.config({ crawl: { schedule: NEVER, ...overrides } })
  const db = openTestDb(config)
  return {
    fed,
    db,
    config,
    done: async () => {
      db.close()
      await fed.close()
    },
  }
}
const requestsOf = (fed: FakeFederation) => fed.instances.map((i) => i.requests.length)
const clearRequests = (fed: FakeFederation) => fed.instances.forEach((i) => (i.requests.length = 0))

test('two crawls never run at once; the lease is free again afterwards', async () => {
  const { fed, db, config, done } = await setup()
  try {
    for (const i of fed.instances) i.spec.latencyMs = 2
    const first = runCrawl({ db, config })
    await assert.rejects(runCrawl({ db, config }), CrawlBusyError)
    await first
    assert.equal(leaseHolder(db), null)
    const again = await runCrawl({ db, config })
    assert.equal(again.totals.ok, 3)
  } finally {
    await done()
  }
})

test('the lease: another live holder blocks, an expired one or a dead process on this machine does not', async () => {
  const { db, done } = await setup()
  try {
    const now = Date.now()
    assert.equal(acquireLease(db, now, 'other-machine:123:abcd'), true)
    assert.equal(acquireLease(db, now), false, 'held by another machine')
    assert.match(leaseHolder(db)!.owner, /^other-machine/)
    assert.equal(acquireLease(db, now + 6 * 60_000), true, 'expired after five minutes without renewal')
    releaseLease(db)
    // A process of this machine that no longer exists (pid 2^22 + 1 is above Linux's maximum).
    assert.equal(acquireLease(db, now, `${hostname()}:4194305:dead`), true)
    assert.equal(acquireLease(db, now), true, 'a dead process’s lease is taken over at once')
    assert.equal(leaseHolder(db)!.owner, LEASE_OWNER)
    assert.equal(acquireLease(db, now), false, 'and this process does not take it twice')
    releaseLease(db)
  } finally {
    await done()
  }
})

test('an interrupted run is resumed by the scheduler with only the instances it had not finished', async () => {
  const { fed, db, config, done } = await setup({ concurrency: 1 })
  try {
    const controller = new AbortController()
    const first = await runCrawl({
      db,
      config,
      signal: controller.signal,
      trigger: 'schedule',
      onProgress: (p) => {
        if (p.kind === 'instance') controller.abort() // e.g. SIGTERM right after the first instance
      },
    })
    assert.equal(first.status, 'interrupted')
    assert.equal(first.instances.length, 1)
    const doneHost = first.instances[0]!.host
    assert.equal(recentRuns(db, 1)[0]!.status, 'interrupted')
    clearRequests(fed)

    let resumed: Awaited<ReturnType<typeof runCrawl>> | null = null
    const scheduler = startScheduler({ db, config, onCrawlEnd: (s) => (resumed = s) })
    await scheduler.idle()
    await scheduler.stop()
    assert.ok(resumed)
    const r = resumed as Awaited<ReturnType<typeof runCrawl>>
    assert.equal(r.runId, first.runId, 'the same run, finished')
    assert.equal(r.resumed, true)
    assert.equal(r.status, 'done')
    assert.deepEqual(r.instances.map((i) => i.host).sort(), fed.instances.map((i) => i.host).filter((h) => h !== doneHost).sort())
    const done1 = fed.instances.find((i) => i.host === doneHost)!
    assert.equal(done1.requests.length, 0, 'the instance done before the restart is not crawled again')
    for (const i of fed.instances) assert.equal(instanceByHost(db, i.host)!.videosCount, i.expected().videos.length)
    assert.equal(recentRuns(db, 1)[0]!.status, 'done')
  } finally {
    await done()
  }
})

test('stopping in the middle of an instance records no failure, and a resumed run crawls it again', async () => {
  const { fed, db, config, done } = await setup({ concurrency: 1 })
  try {
    const controller = new AbortController()
    const old = fed.instances[0]!
    old.spec.respond = (r) => {
      if (r.path.endsWith('/description')) controller.abort() // half-way through the old instance's details
      return undefined
    }
    const first = await runCrawl({ db, config, signal: controller.signal, trigger: 'schedule' })
    assert.equal(first.status, 'interrupted')
    const stopped = first.instances.find((i) => i.status === 'stopped')
    assert.ok(stopped, JSON.stringify(first.instances.map((i) => i.status)))
    const row = instanceByHost(db, stopped.host)!
    assert.deepEqual([row.lastError, row.errorCount, row.lastSuccessAt], [null, 0, null])
    delete old.spec.respond
    const scheduler = startScheduler({ db, config })
    await scheduler.idle()
    await scheduler.stop()
    for (const i of fed.instances) assert.equal(instanceByHost(db, i.host)!.videosCount, i.expected().videos.length, i.spec.name)
  } finally {
    await done()
  }
})

test('a first start on an empty index crawls at once; a restart before the next scheduled time does not', async () => {
  const { fed, db, config, done } = await setup()
  try {
    const s1 = startScheduler({ db, config })
    await s1.idle()
    await s1.stop()
    assert.equal(recentRuns(db, 1)[0]!.trigger, 'startup')
    assert.equal(recentRuns(db, 1)[0]!.status, 'done')
    for (const i of fed.instances) assert.equal(instanceByHost(db, i.host)!.videosCount, i.expected().videos.length)
    const next = nextCrawlAt(db)
    assert.ok(next !== null && next > Date.now(), 'the next scheduled time is stored')
    clearRequests(fed)

    const s2 = startScheduler({ db, config })
    await s2.idle()
    await s2.stop()
    assert.deepEqual(requestsOf(fed), [0, 0, 0], 'nothing was due')
    assert.equal(recentRuns(db, 5).length, 1)

    // Sepia was down when a crawl was due: it runs as soon as Sepia is back.
    setNextCrawlAt(db, Date.now() - 60_000)
    const s3 = startScheduler({ db, config })
    await s3.idle()
    await s3.stop()
    assert.equal(recentRuns(db, 1)[0]!.trigger, 'startup')
    assert.equal(recentRuns(db, 5).length, 2)
    assert.ok(requestsOf(fed).every((n) => n > 0))
  } finally {
    await done()
  }
})

test('the cron schedule triggers crawls', async () => {
  const { db, config, fed, done } = await setup()
  try {
    await runCrawl({ db, config }) // the index is not empty: nothing is due at start
    const everySecond = fed.config({ crawl: { schedule: '* * * * * *' } })
    let stop: () => Promise<void> = async () => {}
    const summary = await new Promise<Awaited<ReturnType<typeof runCrawl>>>((resolve) => {
      stop = startScheduler({ db, config: everySecond, onCrawlEnd: resolve }).stop
    })
    await stop()
    assert.equal(summary.totals.ok, 3)
    assert.equal(recentRuns(db, 1)[0]!.trigger, 'schedule')
  } finally {
    await done()
  }
})

test('stop() lets a running crawl stop at a safe point and resolves after it', async () => {
  const { fed, db, config, done } = await setup()
  try {
    for (const i of fed.instances) i.spec.latencyMs = 5
    let firstRequest: () => void = () => {}
    const started = new Promise<void>((resolve) => (firstRequest = resolve))
    fed.instances[0]!.spec.respond = () => {
      firstRequest()
      return undefined
    }
    const scheduler = startScheduler({ db, config })
    await started
    await scheduler.stop()
    const run = recentRuns(db, 1)[0]!
    assert.equal(run.status, 'interrupted')
    assert.equal(leaseHolder(db), null, 'the lease is released')
    assert.equal(db.prepare('SELECT count(*) FROM instances WHERE error_count > 0').pluck().get(), 0)
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok')
  } finally {
    await done()
  }
})

test('starting the scheduler applies a new block list at once, before any crawl', async () => {
  const { fed, db, config, done } = await setup()
  try {
    await runCrawl({ db, config })
    const blocked = fed.instances[1]!
    clearRequests(fed)
    const scheduler = startScheduler({ db, config: fed.config({ crawl: { schedule: NEVER }, instances: { blocked: [blocked.host] } }) })
    assert.equal(instanceByHost(db, blocked.host), undefined)
    assert.equal(db.prepare('SELECT count(*) FROM videos WHERE account_host = ?').pluck().get(blocked.host), 0)
    await scheduler.stop()
    assert.deepEqual(requestsOf(fed), [0, 0, 0], 'no crawl was due')
  } finally {
    await done()
  }
})
