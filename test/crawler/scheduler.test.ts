// Crawl runs, the lease and the scheduler: state in the database, so restarts neither lose nor repeat work.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { runCrawl, CrawlBusyError } from '../../src/crawler/run.ts'
import { startScheduler } from '../../src/crawler/scheduler.ts'
import {
  acquireLease, leaseHolder, releaseLease, nextCrawlAt, setNextCrawlAt, recentRuns, LEASE_OWNER,
} from '../../src/db/crawl-runs.ts'
import { failureBackoff, instanceByHost } from '../../src/db/instances.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { editFakeVideo, standardFederation, startFakeFederation, type FakeFederation, type FakeInstance } from '../fake/federation.ts'
import { endlessFreshPages } from '../fake/hostile.ts'
import type { InstanceCrawlResult } from '../../src/crawler/crawl.ts'
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

test('stopping in the middle of the details records no failure; the listing is indexed and the scheduler fetches the rest', async () => {
  const { fed, db, config, done } = await setup({ concurrency: 1 })
  try {
    const controller = new AbortController()
    const old = fed.instances[0]!
    old.spec.respond = (r) => {
      if (r.path.endsWith('/description')) controller.abort() // half-way through the old instance's details
      return undefined
    }
    const first = await runCrawl({ db, config, signal: controller.signal, trigger: 'cli' })
    assert.equal(first.status, 'interrupted')
    const stopped = first.instances.find((i) => i.status === 'stopped')
    assert.ok(stopped, JSON.stringify(first.instances.map((i) => i.status)))
    const row = instanceByHost(db, stopped.host)!
    assert.deepEqual([row.lastError, row.errorCount], [null, 0])
    // Its listing pass was complete: every video is indexed, some still without their details.
    assert.equal(row.videosCount, old.expected().videos.length)
    assert.ok(row.detailsPending > 0, `${row.detailsPending} details pending`)
    delete old.spec.respond
    old.requests.length = 0
    const scheduler = startScheduler({ db, config })
    await scheduler.idle()
    await scheduler.stop()
    for (const i of fed.instances) assert.equal(instanceByHost(db, i.host)!.videosCount, i.expected().videos.length, i.spec.name)
    assert.equal(instanceByHost(db, old.host)!.detailsPending, 0)
    assert.equal(old.requests.filter((r) => r.path === '/api/v1/videos').length, 0, 'a details turn does not list again')
  } finally {
    await done()
  }
})

test('a first start on an empty index crawls at once; a restart before anything is due does nothing', async () => {
  const { fed, db, config, done } = await setup()
  try {
    const s1 = startScheduler({ db, config })
    await s1.idle()
    await s1.stop()
    assert.equal(recentRuns(db, 1)[0]!.trigger, 'startup')
    assert.equal(recentRuns(db, 1)[0]!.status, 'done')
    for (const i of fed.instances) assert.equal(instanceByHost(db, i.host)!.videosCount, i.expected().videos.length)
    const next = nextCrawlAt(db)
    assert.ok(next !== null && next > Date.now(), 'the next read of the list is stored')
    for (const i of fed.instances) assert.ok(instanceByHost(db, i.host)!.nextCrawlAt! > Date.now() + 5 * 3600_000, 'each instance is due again in 6 h')
    clearRequests(fed)
    fed.list.requests.length = 0

    const s2 = startScheduler({ db, config })
    await s2.idle()
    await s2.stop()
    assert.deepEqual(requestsOf(fed), [0, 0, 0], 'nothing was due')
    assert.equal(fed.list.requests.length, 0)
    assert.equal(recentRuns(db, 5).length, 1)

    // Sepia was down when the list was to be read, and when one instance was due: both happen as soon as it is back.
    setNextCrawlAt(db, Date.now() - 60_000)
    db.prepare('UPDATE instances SET next_crawl_at = ? WHERE host = ?').run(Date.now() - 1000, fed.instances[1]!.host)
    const s3 = startScheduler({ db, config })
    await s3.idle()
    await s3.stop()
    assert.equal(fed.list.requests.length, 1)
    assert.deepEqual(requestsOf(fed).map((n) => n > 0), [false, true, false], 'only the instance that was due')
  } finally {
    await done()
  }
})

test('the cron schedule reads the instance list; a host added to it is crawled at once', async () => {
  const { db, config, fed, done } = await setup()
  try {
    await runCrawl({ db, config })
    const everySecond = fed.config({ crawl: { schedule: '* * * * * *' } })
    const [a, b, c] = fed.list.hosts
    fed.list.hosts = [a!, b!]
    await runCrawl({ db, config }) // c leaves the list
    fed.list.hosts = [a!, b!, c!]
    clearRequests(fed)
    fed.list.requests.length = 0
    let stop: () => Promise<void> = async () => {}
    const summary = await new Promise<Awaited<ReturnType<typeof runCrawl>>>((resolve) => {
      const scheduler = startScheduler({ db, config: everySecond, onCrawlEnd: (s) => s.instances.length > 0 && resolve(s) })
      stop = scheduler.stop
    })
    await stop()
    assert.ok(fed.list.requests.length >= 1)
    assert.deepEqual(summary.instances.map((i) => [i.host, i.status]), [[c, 'ok']], 'only the host back in the list was due')
    assert.deepEqual(requestsOf(fed).map((n) => n > 0), [false, false, true])
  } finally {
    await done()
  }
})

test('each instance on its own clock: re-crawled every intervalMinutes, a failing one retried with growing delays', async () => {
  // Every 0.6 s; a failure waits 0.3 s, then 0.6 s, then 1.2 s…
  const { fed, db, config, done } = await setup({ intervalMinutes: 0.01, failureBackoffMinutes: 0.005 })
  try {
    const [a, b] = fed.instances as [FakeInstance, FakeInstance]
    b.spec.failWith = 503
    const turns: { host: string; status: string; start: number; end: number }[] = []
    let enough: () => void = () => {}
    const reached = new Promise<void>((resolve) => (enough = resolve))
    const scheduler = startScheduler({
      db,
      config,
      onTurn: (r) => {
        turns.push({ host: r.host, status: r.status, start: Date.now() - r.durationMs, end: Date.now() })
        if (turns.filter((t) => t.host === b.host).length >= 3 && turns.filter((t) => t.host === a.host).length >= 3) enough()
      },
    })
    await reached
    await scheduler.stop()
    const of = (host: string) => turns.filter((t) => t.host === host)
    assert.ok(of(a.host).every((t) => t.status === 'ok'))
    // A healthy instance's next pass starts an interval after the previous one completed, so at least that long
    // after it started.
    const gaps = of(a.host).slice(1).map((t, i) => t.start - of(a.host)[i]!.start)
    for (const gap of gaps) assert.ok(gap >= 590, `${gap} ms between two passes of a healthy instance`)
    // The failing one: its delays grow, and the schedule is in the database.
    const failing = of(b.host).slice(0, 3)
    assert.ok(failing.every((t) => t.status === 'failed'))
    const waits = failing.slice(1).map((t, i) => t.start - failing[i]!.end)
    assert.ok(waits[1]! > waits[0]! * 1.5, `growing delays: ${waits.join(', ')} ms`)
    const row = instanceByHost(db, b.host)!
    assert.ok(row.errorCount >= 3)
    assert.equal(row.backoffMs, failureBackoff(row.errorCount, 300))
    // From the end of the failed turn (its pace slowed down by the failures).
    const end = row.lastAttemptAt! + row.lastDurationMs!
    assert.ok(Math.abs(row.nextCrawlAt! - (end + row.backoffMs)) < 200, `the next try is stored: ${JSON.stringify(row)}`)
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


test('an endless instance only delays itself: its turns end at their budget, the others keep their rhythm and edits', { timeout: 60_000 }, async () => {
  const fed = await startFakeFederation([...standardFederation().slice(1), { name: 'Endless', version: '7.1.0', videos: [] }])
  const [b, c, endless] = fed.instances as [FakeInstance, FakeInstance, FakeInstance]
  endless.spec.respond = endlessFreshPages(endless)
  // Two slots for three instances; every 0.6 s for the healthy ones; 10 requests per turn.
  const config = fed.config({ crawl: { schedule: NEVER, concurrency: 2, intervalMinutes: 0.01, budgetRequests: 10, maxVideosPerInstance: 1_000_000 } })
  const db = openTestDb(config)
  try {
    const turns: InstanceCrawlResult[] = []
    let edited = false
    let enough!: () => void
    const reached = new Promise<void>((resolve) => (enough = resolve))
    const of = (i: FakeInstance) => turns.filter((t) => t.host === i.host)
    const scheduler = startScheduler({
      db,
      config,
      onTurn: (r) => {
        turns.push(r)
        // After the first pass of b, its owner renames a video: the next pass must bring it in.
        if (r.host === b.host && r.status === 'ok' && r.listed && !edited) {
          edited = true
          editFakeVideo(b.spec.videos![0]!, { name: 'Renamed while the endless one crawls' })
        }
        // Passes, not turns: a turn that only fetched details is 'ok' too, and would not bring the edit.
        const passes = (i: FakeInstance) => of(i).filter((t) => t.status === 'ok' && t.listed).length
        if (passes(b) >= 3 && passes(c) >= 3 && of(endless).filter((t) => t.status === 'partial').length >= 3) enough()
      },
    })
    await reached
    await scheduler.stop()
    // The endless instance never finished a pass, and each of its turns kept to its budget.
    assert.ok(of(endless).length >= 3, `${of(endless).length} turns of the endless instance`)
    assert.ok(of(endless).every((t) => t.status === 'partial' || t.status === 'stopped'), of(endless).map((t) => t.status).join(', '))
    assert.ok(of(endless).every((t) => t.requests <= 10), 'each turn within its request budget')
    assert.ok(instanceByHost(db, endless.host)!.videosCount >= 3 * 700, `what it listed is indexed as it goes: ${JSON.stringify(of(endless).map((t) => [t.status, t.videos, t.requests]))}`)
    // The others went on, pass after pass (three each, while it never finished one), and picked up the edit.
    for (const i of [b, c]) assert.equal(instanceByHost(db, i.host)!.lastError, null)
    assert.equal(db.prepare('SELECT name FROM videos WHERE uuid = ?').pluck().get(b.spec.videos![0]!.uuid), 'Renamed while the endless one crawls')
  } finally {
    db.close()
    await fed.close()
  }
})

test('after a run, the scheduler merges the full-text segments its page writes left behind, a step at a time', { timeout: 60_000 }, async () => {
  const { db, config, done } = await setup()
  const segments = () => (db.prepare('SELECT count(DISTINCT segid) AS n FROM videos_fts_idx').get() as { n: number }).n
  let atRunEnd = 0
  const scheduler = startScheduler({ db, config, onCrawlEnd: () => (atRunEnd = segments()) })
  try {
    await scheduler.idle()
    // Pages commit in small groups: several segments when the run ends, one once the merge steps are done.
    const deadline = Date.now() + 30_000
    while (atRunEnd === 0 || segments() > 1) {
      assert.ok(Date.now() < deadline, `${segments()} segments still`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.ok(atRunEnd > 2, `${atRunEnd} segments when the run ended`)
    assert.ok((db.prepare('SELECT count(*) AS n FROM videos').get() as { n: number }).n > 100)
  } finally {
    await scheduler.stop()
    await done()
  }
})
