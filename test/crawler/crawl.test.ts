// Crawling the fake federation end to end: real HTTP, real SQLite, the fake's own truth as the oracle.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../src/db/open.ts'
import { runCrawl } from '../../src/crawler/run.ts'
import { crawlInstance } from '../../src/crawler/crawl.ts'
import { createFetcher } from '../../src/crawler/http.ts'
import { shortUuid } from '../../src/short-uuid.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import { crawledFederation, openTestDb } from '../helpers/crawled.ts'
import {
  startFakeFederation, fakeVideo, fakeChannel, fakePlaylist, editFakeVideo, type FakeInstance, type FakeRequest,
} from '../fake/federation.ts'

const sorted = (xs: Iterable<string>) => [...xs].sort()
const videoUuids = (db: Db, host: string) =>
  db.prepare('SELECT uuid FROM videos JOIN instances i ON i.id = instance_id WHERE i.host = ?').pluck().all(host) as string[]
const channelNames = (db: Db, host: string) =>
  db.prepare('SELECT channels.name FROM channels JOIN instances i ON i.id = instance_id WHERE i.host = ?').pluck().all(host) as string[]
const playlistUuids = (db: Db, host: string) =>
  db.prepare('SELECT uuid FROM playlists JOIN instances i ON i.id = instance_id WHERE i.host = ?').pluck().all(host) as string[]
const detailsRequests = (i: FakeInstance) => i.requests.filter((r) => /^\/api\/v1\/videos\/[^/]+$/.test(r.path)).map((r) => r.path.split('/')[4]!)
const listRequests = (i: FakeInstance) => i.requests.filter((r) => r.path === '/api/v1/videos')

function assertIndexMatches(db: Db, inst: FakeInstance): void {
  const expected = inst.expected()
  assert.deepEqual(sorted(videoUuids(db, inst.host)), sorted(expected.videos.map((v) => v.uuid)), `videos of ${inst.spec.name}`)
  assert.deepEqual(sorted(channelNames(db, inst.host)), sorted(expected.channels.map((c) => c.name)), `channels of ${inst.spec.name}`)
  assert.deepEqual(sorted(playlistUuids(db, inst.host)), sorted(expected.playlists.map((p) => p.uuid)), `playlists of ${inst.spec.name}`)
}

test('a crawl of the standard federation indexes exactly the local public videos, channels and playlists', async () => {
  const c = await crawledFederation()
  try {
    const { db, federation, summary } = c
    assert.equal(summary.totals.ok, 3)
    let videos = 0
    for (const inst of federation.instances) {
      assertIndexMatches(db, inst)
      const expected = inst.expected()
      videos += expected.videos.length
      // Remote and non-public videos are absent (not merely filtered at query time), NSFW ones are present.
      const stored = new Set(videoUuids(db, inst.host))
      for (const v of inst.spec.remoteVideos!) assert.ok(!db.prepare('SELECT 1 FROM videos WHERE uuid = ?').get(v.uuid), `remote ${v.name}`)
      for (const v of inst.spec.videos!.filter((x) => x.privacy !== 1 || x.state !== 1)) assert.ok(!stored.has(v.uuid), `non-public ${v.name}`)
      const nsfw = expected.videos.filter((v) => v.nsfw)
      assert.ok(nsfw.length > 0)
      for (const v of nsfw) assert.equal(db.prepare('SELECT nsfw FROM videos WHERE uuid = ?').pluck().get(v.uuid), 1)
      // Pages of at most 100, always asking for NSFW too, in the dialect of the version.
      for (const r of inst.requests) if (r.query.count !== undefined) assert.ok(Number(r.query.count) <= 100, r.url)
      for (const r of listRequests(inst)) {
        assert.equal(r.query.nsfw, 'both')
        if (inst.spec.version.startsWith('3.')) assert.deepEqual([r.query.filter, r.query.isLocal], ['local', undefined])
        else assert.deepEqual([r.query.filter, r.query.isLocal], [undefined, 'true'])
      }
      const row = instanceByHost(db, inst.host)!
      assert.equal(row.softwareVersion, inst.spec.version)
      assert.equal(row.name, inst.spec.name)
      assert.equal(row.videosCount, expected.videos.length)
      assert.equal(row.channelsCount, expected.channels.length)
      assert.equal(row.playlistsCount, expected.playlists.length)
      assert.equal(row.lastError, null)
      assert.ok(row.lastSuccessAt !== null && row.lastSuccessAt >= row.lastAttemptAt!)
    }
    assert.ok(videos > 170)
    assert.equal(listRequests(federation.instances[0]!).length, 2, '120 local videos take two pages')
  } finally {
    await c.close()
  }
})

test('stored videos carry full descriptions, tags, our own short UUIDs and absolute URLs on their origin', async () => {
  const c = await crawledFederation()
  try {
    for (const inst of c.federation.instances) {
      const long = inst.expected().videos.find((v) => v.description?.includes('marmalade'))!
      const row = c.db.prepare('SELECT * FROM videos WHERE uuid = ?').get(long.uuid) as Record<string, any>
      assert.equal(row.description, long.description, `full description from ${inst.spec.version}`)
      assert.ok(row.truncated_description.length <= 250)
      assert.deepEqual(JSON.parse(row.tags), long.tags)
      assert.equal(row.short_uuid, shortUuid(long.uuid))
      assert.equal(row.url, `${inst.origin}/videos/watch/${long.uuid}`)
      for (const col of ['thumbnail_url', 'preview_url', 'embed_url', 'account_url', 'channel_url']) {
        assert.ok(String(row[col]).startsWith(inst.origin + '/'), `${col} = ${row[col]}`)
      }
      const avatars = JSON.parse(row.account_avatars) as { fileUrl: string }[]
      assert.ok(avatars.length > 0)
      for (const a of avatars) assert.ok(a.fileUrl.startsWith(inst.origin + '/'), a.fileUrl)
    }
    // Before 5.0 the full text needs /description, and only for descriptions that were cut.
    const old = c.federation.instances[0]!
    const descriptions = old.requests.filter((r) => r.path.endsWith('/description')).length
    assert.equal(descriptions, old.expected().videos.filter((v) => (v.description?.length ?? 0) > 250).length)
    assert.equal(c.federation.instances[1]!.requests.filter((r) => r.path.endsWith('/description')).length, 0)
    const html = c.db.prepare(`SELECT name FROM videos WHERE name LIKE '<script>%'`).pluck().get()
    assert.equal(html, '<script>alert("owned")</script> & <b>bold</b> "quotes"', 'stored as sent; escaping is the views’ job')
  } finally {
    await c.close()
  }
})

test('a second crawl removes and updates exactly what changed, fetching details only for changed videos', async () => {
  const c = await crawledFederation()
  try {
    const [a, b, cc] = c.federation.instances as [FakeInstance, FakeInstance, FakeInstance]
    const deleted = a.spec.videos!.splice(5, 2)
    const added = fakeVideo({ name: 'Brand new upload' })
    a.spec.videos!.push(added)
    const edited = editFakeVideo(b.spec.videos![0]!, { name: 'Renamed session', tags: ['renamed'], description: 'A new text.' })
    const madePrivate = editFakeVideo(cc.spec.videos![1]!, { privacy: 3 })
    b.spec.channels = b.spec.channels!.filter((ch) => ch.name !== 'musique_libre')
    const droppedPlaylist = cc.spec.playlists!.shift()!
    cc.spec.playlists!.push(fakePlaylist({ displayName: 'Fresh list', ownerAccount: { name: 'dora', displayName: 'Dora' } }))
    for (const i of c.federation.instances) i.requests.length = 0

    const summary = await runCrawl({ db: c.db, config: c.config })
    for (const inst of c.federation.instances) assertIndexMatches(c.db, inst)
    assert.deepEqual(detailsRequests(a), [added.uuid])
    assert.deepEqual(detailsRequests(b), [edited.uuid])
    assert.deepEqual(detailsRequests(cc), [])
    const byHost = new Map(summary.instances.map((r) => [r.host, r]))
    assert.deepEqual(byHost.get(a.host)!.videos, { total: 119, new: 1, updated: 0, removed: 2 })
    assert.deepEqual(byHost.get(b.host)!.videos, { total: 30, new: 0, updated: 1, removed: 0 })
    assert.deepEqual(byHost.get(cc.host)!.videos, { total: 25, new: 0, updated: 0, removed: 1 })
    assert.equal(byHost.get(b.host)!.channels.removed, 1)
    assert.deepEqual(byHost.get(cc.host)!.playlists, { total: 2, new: 1, removed: 1 })
    assert.deepEqual(summary.totals, { ...summary.totals, videosNew: 1, videosUpdated: 1, videosRemoved: 3 })
    const row = c.db.prepare('SELECT name, tags, description FROM videos WHERE uuid = ?').get(edited.uuid)
    assert.deepEqual(row, { name: 'Renamed session', tags: '["renamed"]', description: 'A new text.' })
    for (const gone of [...deleted, madePrivate]) assert.equal(c.db.prepare('SELECT 1 FROM videos WHERE uuid = ?').get(gone.uuid), undefined)
    assert.equal(c.db.prepare('SELECT 1 FROM playlists WHERE uuid = ?').get(droppedPlaylist.uuid), undefined)
  } finally {
    await c.close()
  }
})

test('re-crawling an unchanged instance costs a handful of requests', async () => {
  const c = await crawledFederation()
  try {
    for (const i of c.federation.instances) i.requests.length = 0
    const summary = await runCrawl({ db: c.db, config: c.config })
    const [a, b, cc] = c.federation.instances
    // robots.txt + config + video pages + channels + playlists; no details.
    assert.deepEqual([a, b, cc].map((i) => i!.requests.length), [6, 5, 5])
    assert.equal(summary.totals.videosNew + summary.totals.videosUpdated + summary.totals.videosRemoved, 0)
    for (const inst of c.federation.instances) assertIndexMatches(c.db, inst)
  } finally {
    await c.close()
  }
})

test('a blocked host, or one that leaves the list, loses its content at once; a broken list changes nothing', async () => {
  const c = await crawledFederation()
  try {
    const [a, b, cc] = c.federation.instances as [FakeInstance, FakeInstance, FakeInstance]
    const count = (table: string) => (c.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number)
    for (const i of c.federation.instances) i.requests.length = 0

    await runCrawl({ db: c.db, config: c.federation.config({ instances: { blocked: [b.host] } }) })
    assert.equal(instanceByHost(c.db, b.host), undefined)
    assert.deepEqual([videoUuids(c.db, b.host), channelNames(c.db, b.host), playlistUuids(c.db, b.host)], [[], [], []])
    assert.equal(b.requests.length, 0, 'a blocked instance is not even contacted')
    assert.equal(count('videos'), a.expected().videos.length + cc.expected().videos.length)

    c.federation.list.hosts = c.federation.list.hosts.filter((h) => h !== cc.host)
    const s2 = await runCrawl({ db: c.db, config: c.config })
    assert.deepEqual(s2.removedInstances, [cc.host])
    assert.equal(instanceByHost(c.db, cc.host), undefined)
    assert.equal(count('videos'), a.expected().videos.length + b.expected().videos.length, 'b is back, c is gone')

    // The list server is down: keep the instances we had rather than dropping everything.
    c.federation.list.failWith = 503
    const s3 = await runCrawl({ db: c.db, config: c.config })
    assert.match(s3.listError!, /cannot read the instance list .*: answered HTTP 503/)
    assert.equal(s3.totals.ok, 2)
    assert.equal(count('videos'), a.expected().videos.length + b.expected().videos.length)

    // instances.hosts keeps an instance indexed even when the list drops it.
    c.federation.list.failWith = null
    c.federation.list.hosts = [a.host]
    await runCrawl({ db: c.db, config: c.federation.config({ instances: { hosts: [b.host] } }) })
    assert.deepEqual(sorted(c.db.prepare('SELECT host FROM instances').pluck().all() as string[]), sorted([a.host, b.host]))
  } finally {
    await c.close()
  }
})

test('a failing instance does not stop the others, keeps its content and records the error', async () => {
  const c = await crawledFederation()
  try {
    const [a, b, cc] = c.federation.instances as [FakeInstance, FakeInstance, FakeInstance]
    const before = { b: sorted(videoUuids(c.db, b.host)), c: sorted(videoUuids(c.db, cc.host)) }
    const lastSuccess = instanceByHost(c.db, b.host)!.lastSuccessAt
    b.spec.failWith = 500
    b.spec.videos!.splice(0, 5) // would be removed by a successful crawl
    await cc.close() // nothing listens on its port any more
    a.spec.videos!.push(fakeVideo({ name: 'Still crawled' }))

    const summary = await runCrawl({ db: c.db, config: c.config })
    const byHost = new Map(summary.instances.map((r) => [r.host, r]))
    assert.equal(byHost.get(a.host)!.status, 'ok')
    assert.equal(byHost.get(a.host)!.videos.new, 1)
    assert.equal(byHost.get(b.host)!.error, 'reading /api/v1/config: answered HTTP 500')
    assert.equal(byHost.get(cc.host)!.error, 'reading /api/v1/config: connection refused')
    assert.deepEqual(sorted(videoUuids(c.db, b.host)), before.b)
    assert.deepEqual(sorted(videoUuids(c.db, cc.host)), before.c)
    const row = instanceByHost(c.db, b.host)!
    assert.deepEqual([row.lastError, row.errorCount, row.lastSuccessAt], ['reading /api/v1/config: answered HTTP 500', 1, lastSuccess])
    assert.ok(row.lastAttemptAt! > lastSuccess!)

    await runCrawl({ db: c.db, config: c.config })
    assert.equal(instanceByHost(c.db, b.host)!.errorCount, 2)
    delete b.spec.failWith
    await runCrawl({ db: c.db, config: c.config })
    const healed = instanceByHost(c.db, b.host)!
    assert.deepEqual([healed.lastError, healed.errorCount, healed.videosCount], [null, 0, 25])
    assertIndexMatches(c.db, b)
  } finally {
    await c.close()
  }
})

test('a crawl that fails half-way deletes nothing; the next complete crawl repairs the index', async () => {
  const c = await crawledFederation()
  try {
    const a = c.federation.instances[0]!
    const removed = a.spec.videos!.splice(0, 10) // the oldest: on the second page
    const added = fakeVideo({ name: 'Newest of all' })
    a.spec.videos!.push(added)
    a.spec.respond = (r) => (r.path === '/api/v1/videos' && r.query.start === '100' ? { status: 502, body: {} } : undefined)
    const failed = await runCrawl({ db: c.db, config: c.config })
    assert.equal(failed.instances.find((r) => r.host === a.host)!.error, 'listing videos: answered HTTP 502')
    const stored = new Set(videoUuids(c.db, a.host))
    assert.ok(stored.has(added.uuid), 'what was fetched before the failure is indexed')
    for (const v of removed) assert.ok(stored.has(v.uuid), 'nothing is deleted after a partial crawl')
    assert.equal(instanceByHost(c.db, a.host)!.videosCount, stored.size)

    delete a.spec.respond
    await runCrawl({ db: c.db, config: c.config })
    assertIndexMatches(c.db, a)
  } finally {
    await c.close()
  }
})

test('never more requests in flight to one host than perHostConcurrency', async () => {
  for (const perHostConcurrency of [1, 3]) {
    const fed = await startFakeFederation()
    for (const i of fed.instances) i.spec.latencyMs = 3
    const config = fed.config({ crawl: { perHostConcurrency, concurrency: 3 } })
    const db = openTestDb(config)
    try {
      await runCrawl({ db, config })
      for (const i of fed.instances) assert.ok(i.maxInFlight <= perHostConcurrency, `${i.maxInFlight} in flight`)
      // With room for it, details are fetched in parallel: the limit is reached, so the check above means something.
      assert.equal(fed.instances[0]!.maxInFlight, perHostConcurrency)
    } finally {
      db.close()
      await fed.close()
    }
  }
})

test('untrustworthy instances: leaked remote videos, malformed items, stolen uuids, oversized text, 429s', async () => {
  const shared = fakeVideo({ name: 'Original' })
  const fed = await startFakeFederation([
    { name: 'Honest', version: '7.1.0', videos: [shared, fakeVideo({ name: 'Plain' })] },
    {
      name: 'Leaky',
      version: '6.1.0',
      leaksRemote: true,
      videos: [fakeVideo({ name: 'Mine' }), fakeVideo({ name: 'x'.repeat(5000), tags: ['y'.repeat(99), 'ok'] })],
      remoteVideos: [fakeVideo({ name: 'Not mine', host: 'elsewhere.example' })],
    },
    { name: 'Thief', version: '8.0.0', videos: [{ ...shared, name: 'Stolen copy' }, fakeVideo({ name: 'Own' })] },
  ])
  const [, leaky, thief] = fed.instances as [FakeInstance, FakeInstance, FakeInstance]
  const config = fed.config()
  let throttled = false
  leaky.spec.respond = (r: FakeRequest) => {
    if (r.path === '/api/v1/config' && !throttled) {
      throttled = true
      return { status: 429, headers: { 'retry-after': '0' }, body: {} }
    }
    if (r.path === '/api/v1/video-channels') {
      // Noise next to a valid channel (a page of nothing but invalid items fails the listing instead).
      const fine = { name: 'fine', host: leaky.host, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', ownerAccount: { name: 'alice', host: leaky.host } }
      return { status: 200, body: { total: 4, data: [{ name: 'broken' }, 17, null, fine] } }
    }
    return undefined
  }
  const db = openTestDb(config)
  try {
    // The honest instance is crawled first (it alone is listed), so it owns the uuid.
    const everyone = fed.list.hosts
    fed.list.hosts = [fed.instances[0]!.host]
    await runCrawl({ db, config })
    fed.list.hosts = everyone
    const summary = await runCrawl({ db, config })
    const byHost = new Map(summary.instances.map((r) => [r.host, r]))
    assert.equal(byHost.get(leaky.host)!.status, 'ok', 'a 429 is waited out, not a failure')
    assert.equal(leaky.requests.filter((r) => r.path === '/api/v1/config').length, 2)
    assert.equal(db.prepare(`SELECT count(*) FROM videos WHERE name = 'Not mine'`).pluck().get(), 0)
    assert.equal(byHost.get(leaky.host)!.skipped, 3, 'three malformed channels skipped, the page still used')
    assert.equal(instanceByHost(db, leaky.host)!.skippedCount, 3)
    const long = db.prepare(`SELECT name, tags FROM videos WHERE name LIKE 'xxx%'`).get() as { name: string; tags: string }
    assert.equal(long.name.length, 250)
    assert.deepEqual(JSON.parse(long.tags), ['y'.repeat(30), 'ok'])
    assert.equal(db.prepare('SELECT name FROM videos WHERE uuid = ?').pluck().get(shared.uuid), 'Original')
    // The stolen uuid is not "invalid": it belongs to the instance indexed with it first, and the result says so.
    assert.equal(byHost.get(thief.host)!.skipped, 0)
    assert.deepEqual(byHost.get(thief.host)!.claimed, { count: 1, hosts: [fed.instances[0]!.host] })
    assert.deepEqual([instanceByHost(db, thief.host)!.claimedCount, instanceByHost(db, thief.host)!.claimedBy], [1, [fed.instances[0]!.host]])
    assert.deepEqual(videoUuids(db, thief.host).length, 1)
  } finally {
    db.close()
    await fed.close()
  }
})

test('an instance answering nonsense fails with a reason naming the step; failing details never fail it', async () => {
  const fed = await startFakeFederation([
    { version: '7.0.0', videos: [fakeVideo({ name: 'v' })], channels: [fakeChannel({ name: 'c' })] },
    { version: '7.0.0', videos: [fakeVideo({ name: 'w', tags: ['tagged'] }), fakeVideo({ name: 'x' })] },
  ])
  const [nonsense, broken] = fed.instances as [FakeInstance, FakeInstance]
  nonsense.spec.respond = (r) => (r.path === '/api/v1/videos' ? { status: 200, body: { total: 'many', items: [] } } : undefined)
  broken.spec.respond = (r) => (/^\/api\/v1\/videos\/./.test(r.path) ? { status: 500, body: {} } : undefined)
  const config = fed.config()
  const db = openTestDb(config)
  try {
    const s = await runCrawl({ db, config })
    const byHost = new Map(s.instances.map((r) => [r.host, r]))
    assert.match(byHost.get(nonsense.host)!.error!, /^listing videos: answered an invalid page \((total|data): /)
    // The listing is indexed, the details are counted as failed and left for a later turn.
    const b = byHost.get(broken.host)!
    assert.deepEqual([b.status, b.error, b.videos.new, b.details], ['ok', null, 2, { fetched: 0, failed: 2, pending: 2 }])
    assert.deepEqual(sorted(videoUuids(db, broken.host)), sorted(broken.spec.videos!.map((v) => v.uuid)))
    assert.equal(db.prepare('SELECT tags FROM videos WHERE name = ?').pluck().get('w'), '[]', 'the listing version, until the details come')
    const row = instanceByHost(db, broken.host)!
    assert.deepEqual([row.lastError, row.errorCount, row.detailsPending], [null, 0, 2])

    // Details that answer again are fetched at the next turn; the listing is not even read for them.
    delete broken.spec.respond
    broken.requests.length = 0
    const fetcher = createFetcher(config.crawl)
    const again = await crawlInstance({ db, config, fetcher }, row, { listing: false })
    await fetcher.close()
    assert.deepEqual([again.status, again.details], ['ok', { fetched: 2, failed: 0, pending: 0 }])
    assert.deepEqual(broken.requests.map((r) => r.path.split('/').slice(0, 4).join('/')), ['/api/v1/videos', '/api/v1/videos'])
    assert.equal(db.prepare('SELECT tags FROM videos WHERE name = ?').pluck().get('w'), '["tagged"]')
    assert.equal(instanceByHost(db, broken.host)!.detailsPending, 0)
  } finally {
    db.close()
    await fed.close()
  }
})

test('maxVideosPerInstance keeps the newest videos only', async () => {
  const fed = await startFakeFederation([{ version: '7.1.0', videos: Array.from({ length: 30 }, (_, i) => fakeVideo({ name: `v${i}` })) }])
  const config = fed.config({ crawl: { maxVideosPerInstance: 10 } })
  const db = openTestDb(config)
  try {
    await runCrawl({ db, config })
    const names = db.prepare('SELECT name FROM videos ORDER BY published_at DESC').pluck().all()
    assert.deepEqual(names, Array.from({ length: 10 }, (_, i) => `v${29 - i}`))
  } finally {
    db.close()
    await fed.close()
  }
})
