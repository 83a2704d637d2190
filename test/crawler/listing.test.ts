// The listing phase (src/crawler/listing.ts): every page is searchable as soon as it arrives, before any details;
// a pass cut short by its budget continues where it stood at the next turn, and deletes only what a whole pass
// did not see, never what a shifting listing hid from it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../src/db/open.ts'
import { allInstances, instanceByHost } from '../../src/db/instances.ts'
import { refreshInstances, runCrawl } from '../../src/crawler/run.ts'
import { crawlInstance } from '../../src/crawler/crawl.ts'
import { createFetcher } from '../../src/crawler/http.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { fakeVideo, startFakeFederation, type FakeInstance } from '../fake/federation.ts'

const search = (db: Db, text: string) => {
  const q = parseVideosParams({ search: text, nsfw: 'both', count: '100' })
  assert.ok(q.ok)
  return searchVideos(db, q.query)
}
const stored = (db: Db, host: string) =>
  new Set(db.prepare('SELECT uuid FROM videos JOIN instances i ON i.id = instance_id WHERE i.host = ?').pluck().all(host) as string[])

test('a listing page is searchable as soon as it arrives, with every field filters and sorts use, before any details', async () => {
  const long = 'Quokka facts. ' + 'Listings cut descriptions at 250 characters. '.repeat(6) + 'Only the details have the end: marmalade zanzibar.'
  const videos = Array.from({ length: 150 }, (_, i) =>
    fakeVideo({ name: `Quokka documentary ${i}`, description: long, tags: ['wildlife'], language: 'fr', category: 5, duration: 600 + i, nsfw: i === 3 }),
  )
  const fed = await startFakeFederation([{ version: '7.1.0', videos }])
  const inst = fed.instances[0]!
  // The details wait until the test has looked at the index.
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  let detailsAsked!: () => void
  const asked = new Promise<void>((resolve) => (detailsAsked = resolve))
  inst.spec.respond = async (r) => {
    if (/^\/api\/v1\/videos\/[^/]+$/.test(r.path)) {
      detailsAsked()
      await held
    }
    return undefined
  }
  const config = fed.config()
  const db = openTestDb(config)
  try {
    const crawl = runCrawl({ db, config })
    await asked
    // Both listing pages are in, and not a single details answer.
    const found = search(db, 'quokka')
    assert.equal(found.total, 150)
    const row = db.prepare('SELECT * FROM videos WHERE uuid = ?').get(videos[3]!.uuid) as Record<string, any>
    assert.deepEqual(
      [row.language_id, row.category_id, row.duration, row.nsfw, row.tags, row.published_at],
      ['fr', 5, 603, 1, '[]', Date.parse(videos[3]!.publishedAt)],
    )
    assert.ok(row.description.length <= 250, 'the truncated description until the details come')
    assert.equal(search(db, 'zanzibar').total, 0)
    const filtered = parseVideosParams({ languageOneOf: 'fr', categoryOneOf: '5', durationMin: '700', sort: '-duration', nsfw: 'both' })
    assert.ok(filtered.ok)
    assert.equal(searchVideos(db, filtered.query).data[0]!.name, 'Quokka documentary 149')
    assert.equal(instanceByHost(db, inst.host)!.detailsPending, 150)
    release()
    const summary = await crawl
    assert.equal(summary.totals.detailsFetched, 150)
    assert.equal(search(db, 'zanzibar').total, 150, 'the details phase brought the full descriptions')
    assert.equal(search(db, 'wildlife').total, 150, 'and the tags')
    assert.equal(instanceByHost(db, inst.host)!.detailsPending, 0)
  } finally {
    db.close()
    await fed.close()
  }
})

/** An instance of `n` videos, crawled by turns of at most `budgetRequests` requests. */
async function budgeted(n: number, budgetRequests: number) {
  const fed = await startFakeFederation([{ version: '7.1.0', videos: Array.from({ length: n }, (_, i) => fakeVideo({ name: `Video ${i}` })) }])
  const inst = fed.instances[0] as FakeInstance
  const config = fed.config({ crawl: { budgetRequests } })
  const db = openTestDb(config)
  const turn = async () => (await runCrawl({ db, config })).instances[0]!
  // Turns until the pass is complete; returns them all.
  const untilComplete = async () => {
    const turns = [await turn()]
    while (turns.at(-1)!.status === 'partial' && turns.length < 20) turns.push(await turn())
    assert.equal(turns.at(-1)!.status, 'ok')
    return turns
  }
  return { fed, inst, config, db, turn, untilComplete, close: async () => (db.close(), await fed.close()) }
}

// The fake lists its videos newest first: the last of the spec's array is at offset 0.
const atOffset = (inst: FakeInstance, offset: number) => inst.spec.videos!.length - 1 - offset

test('a pass cut short by its budget continues where it stood at the next turn; what it did not see goes at the end of a pass', async () => {
  const c = await budgeted(450, 4) // robots.txt, config, two pages of 100: a turn lists 200 videos
  try {
    const { inst, db } = c
    const first = await c.turn()
    assert.equal(first.status, 'partial')
    assert.equal(first.videos.new, 200)
    assert.equal(first.details.fetched, 0, 'no details before the pass is complete')
    const row = instanceByHost(db, inst.host)!
    assert.deepEqual([row.pass?.cursor?.kind, row.pass?.cursor?.start, row.pass?.cursor?.listed, row.listingTotal], ['videos', 200, 200, 450])
    assert.ok(row.nextCrawlAt === null || row.nextCrawlAt <= Date.now(), 'still due')
    // Meanwhile a video already listed is deleted: the rest of the listing moves up by one, within the overlap.
    const removed = inst.spec.videos!.splice(atOffset(inst, 10), 1)[0]!
    inst.requests.length = 0
    const rest = await c.untilComplete()
    assert.ok(rest.length >= 2, `${rest.length} more turns`)
    // Continued half a page early (to check the listing did not shift past it), not from the start.
    assert.equal(inst.requests.find((r) => r.path === '/api/v1/videos')!.query.start, '150')
    // It was seen by this pass before it went, so this pass keeps it; nothing else is touched.
    assert.equal(rest.reduce((n, t) => n + t.videos.removed, 0), 0)
    assert.equal(rest.reduce((n, t) => n + t.videos.new, 0), 250)
    assert.equal(stored(db, inst.host).size, 450)
    // The next pass did not see it: it goes.
    const next = (await runCrawl({ db, config: c.fed.config() })).instances[0]!
    assert.deepEqual([next.status, next.videos.removed], ['ok', 1])
    assert.ok(!stored(db, inst.host).has(removed.uuid))
    assert.deepEqual(stored(db, inst.host), new Set(inst.expected().videos.map((v) => v.uuid)))
    assert.equal(instanceByHost(db, inst.host)!.pass, null)
  } finally {
    await c.close()
  }
})

test('with perHostConcurrency above 1, pages are requested that many at once, never past the total, and those read meanwhile commit together', async () => {
  const n = 1_950
  const fed = await startFakeFederation([{ version: '7.1.0', videos: Array.from({ length: n }, (_, i) => fakeVideo({ name: `Video ${i}` })) }])
  const inst = fed.instances[0]!
  // Pages after the first are answered four at a time, as soon as four are asked (or 300 ms after the first of
  // them, at the end), so that answers come in together whatever the timing of the requests.
  const held: (() => void)[] = []
  let timer: NodeJS.Timeout | null = null
  const release = () => {
    if (timer) clearTimeout(timer)
    timer = null
    for (const answer of held.splice(0)) answer()
  }
  inst.spec.respond = async (r) => {
    if (r.path !== '/api/v1/videos' || r.query.start === '0') return undefined
    await new Promise<void>((resolve) => {
      held.push(resolve)
      if (held.length === 4) release()
      else timer ??= setTimeout(release, 300)
    })
    return undefined
  }
  const config = fed.config({ crawl: { perHostConcurrency: 4 } })
  const db = openTestDb(config)
  const fetcher = createFetcher(config.crawl)
  const listed: number[] = []
  // Each write takes 100 ms more (a trigger on the cursor saved with it), so that the writer's thread is busy while
  // the other answers come in, as when many instances list, however fast this machine decodes and writes.
  db.function('test_slow_write', () => {
    for (const until = Date.now() + 100; Date.now() < until; );
    return 0
  })
  db.exec('CREATE TEMP TRIGGER test_slow_write AFTER UPDATE OF pass_cursor ON instances BEGIN SELECT test_slow_write(); END')
  try {
    await refreshInstances(db, config, fetcher, new AbortController().signal)
    // The listing only: the details phase is looked at elsewhere.
    const result = await crawlInstance({ db, config, fetcher }, allInstances(db)[0]!, { details: false, onProgress: (p) => p.phase === 'listing' && listed.push(p.listed) })
    assert.equal(result.status, 'ok')
    assert.equal(stored(db, inst.host).size, n)
    const pages = inst.requests.filter((r) => r.path === '/api/v1/videos')
    // Every page once, none past the total (20 pages of 100).
    assert.deepEqual(pages.map((r) => Number(r.query.start)).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i * 100))
    assert.equal(inst.maxInFlight, 4)
    // A write per group of pages read meanwhile, not one per page.
    assert.equal(listed.at(-1), n)
    assert.ok(listed.length < 20, `${listed.length} writes for 20 pages`)
    assert.ok(listed.some((x, i) => x - (listed[i - 1] ?? 0) > 100), `${listed.join(' ')}`)
  } finally {
    await fetcher.close()
    db.close()
    await fed.close()
  }
})

test('a listing that shifted more than the overlap between two turns: the pass deletes nothing, the next one does', async () => {
  const c = await budgeted(450, 4)
  try {
    const { inst, db } = c
    assert.equal((await c.turn()).status, 'partial')
    // 80 of the videos already listed are deleted at once: what follows moves up 80 places, further than the overlap.
    const removed = inst.spec.videos!.splice(atOffset(inst, 99), 80)
    await c.turn()
    assert.equal(instanceByHost(db, inst.host)!.pass!.cursor!.sweep, false)
    const rest = await c.untilComplete()
    assert.equal(rest.reduce((n, t) => n + t.videos.removed, 0), 0, 'a pass that may have skipped videos deletes none')
    for (const v of removed) assert.ok(stored(db, inst.host).has(v.uuid))
    // A whole pass in one turn sees everything, deletes what is gone and finds what was skipped.
    const full = (await runCrawl({ db, config: c.fed.config() })).instances[0]!
    assert.equal(full.videos.removed, 80)
    assert.deepEqual(stored(db, inst.host), new Set(inst.expected().videos.map((v) => v.uuid)))
  } finally {
    await c.close()
  }
})

test('an unchanged instance costs listing pages only, and a changed video keeps its details until new ones come', async () => {
  const fed = await startFakeFederation([{ version: '6.1.0', videos: Array.from({ length: 120 }, (_, i) => fakeVideo({ name: `Clip ${i}`, tags: ['clip'] })) }])
  const inst = fed.instances[0]!
  const config = fed.config()
  const db = openTestDb(config)
  try {
    await runCrawl({ db, config })
    inst.requests.length = 0
    await runCrawl({ db, config })
    assert.deepEqual(inst.requests.map((r) => r.path), [
      '/robots.txt', '/api/v1/config', '/api/v1/videos', '/api/v1/videos', '/api/v1/video-channels', '/api/v1/video-playlists',
    ])
    // Edited: the listing brings the new title at once; the tags stay until the details are fetched again.
    const v = inst.spec.videos![5]!
    Object.assign(v, { name: 'Clip renamed', tags: ['renamed'], updatedAt: new Date(Date.parse(v.updatedAt) + 60_000).toISOString() })
    inst.spec.respond = (r) => (/^\/api\/v1\/videos\/[^/]+$/.test(r.path) ? { status: 503, body: {} } : undefined)
    const s = await runCrawl({ db, config })
    assert.deepEqual([s.totals.videosUpdated, s.totals.detailsFailed, s.totals.detailsPending], [1, 1, 1])
    assert.deepEqual(db.prepare('SELECT name, tags FROM videos WHERE uuid = ?').get(v.uuid), { name: 'Clip renamed', tags: '["clip"]' })
    delete inst.spec.respond
    await runCrawl({ db, config })
    assert.deepEqual(db.prepare('SELECT name, tags FROM videos WHERE uuid = ?').get(v.uuid), { name: 'Clip renamed', tags: '["renamed"]' })
  } finally {
    db.close()
    await fed.close()
  }
})

test('pages of several instances arriving together commit together; a page that cannot be written fails only its own instance', async () => {
  const fed = await startFakeFederation(
    ['Heron', 'Poison', 'Otter', 'Lynx'].map((word) => ({ version: '7.1.0', videos: Array.from({ length: 130 }, (_, i) => fakeVideo({ name: `${word} clip ${i}` })) })),
  )
  // Every instance's first video page is held until all four are asked for, then all are answered at once.
  let asked = 0
  let releaseAll!: () => void
  const all = new Promise<void>((resolve) => (releaseAll = resolve))
  for (const inst of fed.instances) {
    inst.spec.respond = async (r) => {
      if (r.path === '/api/v1/videos' && r.query.start === '0') {
        if (++asked === fed.instances.length) releaseAll()
        await all
      }
      return undefined
    }
  }
  const config = fed.config()
  const db = openTestDb(config)
  // A row the database refuses (as a full disk or a corrupt page would refuse a write) in one instance's first page.
  db.exec(`CREATE TEMP TRIGGER poison BEFORE INSERT ON videos WHEN NEW.name = 'Poison clip 7' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`)
  try {
    const s = await runCrawl({ db, config })
    const byHost = new Map(s.instances.map((r) => [r.host, r]))
    const poisoned = fed.instances[1]!.host
    assert.equal(byHost.get(poisoned)!.status, 'failed')
    assert.match(byHost.get(poisoned)!.error ?? '', /poisoned row/)
    for (const inst of [fed.instances[0]!, fed.instances[2]!, fed.instances[3]!]) {
      assert.equal(byHost.get(inst.host)!.status, 'ok', inst.host)
      assert.equal(stored(db, inst.host).size, 130, inst.host)
    }
    // Its page with the refused row is not written at all (the pages before it are).
    const names = db.prepare(`SELECT name FROM videos WHERE name LIKE 'Poison clip %'`).pluck().all() as string[]
    assert.ok(names.length < 130 && !names.includes('Poison clip 6') && !names.includes('Poison clip 8'), `${names.length} stored`)
    assert.equal(search(db, 'heron').total, 130)
  } finally {
    db.close()
    await fed.close()
  }
})
