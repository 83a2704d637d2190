// Hostile instances that try the crawler's patience: pagination that never ends, 429 on every other request,
// random 500s. The crawl stays bounded in requests, waits out what is transient, and loses nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fakeVideo } from '../fake/federation.ts'
import { endlessFreshPages, randomFailures, samePageForever, tooManyRequestsEveryOther, when } from '../fake/hostile.ts'
import { hostileScenario, snapshot, type HostileScenario, type Snapshot } from './harness.ts'

const TIMEOUT = { timeout: 30_000 }
const listings = (h: HostileScenario, path: string) => h.bad.requests.filter((r) => r.path === path).length

test('hostile: paginating forever with the same page again and again stops at the second page', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    h.bad.spec.respond = samePageForever(h.bad)
    const { summary, bad } = await h.crawl()
    h.assertOthersUnaffected(summary)
    assert.equal(bad.status, 'failed')
    assert.equal(bad.error, 'listing videos: answered a page of items it had already sent (its pagination never ends)')
    assert.equal(listings(h, '/api/v1/videos'), 2)
    assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy)

    // The same trick on the channel listing alone (videos behave) is caught there.
    const videosOnly = samePageForever(h.bad)
    h.bad.spec.respond = (r) => (r.path === '/api/v1/video-channels' ? videosOnly(r) : undefined)
    h.bad.requests.length = 0
    const again = await h.crawl()
    assert.equal(again.bad.error, 'listing channels: answered a page of items it had already sent (its pagination never ends)')
    assert.equal(listings(h, '/api/v1/video-channels'), 2)
    assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy)
  } finally {
    await h.close()
  }
})

test('hostile: a total that never ends is crawled up to maxVideosPerInstance, then stops', TIMEOUT, async () => {
  const h = await hostileScenario({ config: { crawl: { maxVideosPerInstance: 250 } } })
  try {
    const endless = endlessFreshPages(h.bad)
    h.bad.spec.respond = endless
    const { summary, bad } = await h.crawl()
    h.assertOthersUnaffected(summary)
    // Fresh, valid, local videos on every page: indistinguishable from a big instance, so the cap is the bound.
    assert.equal(bad.status, 'ok')
    assert.equal(h.badRow().videosCount, 250)
    assert.equal(listings(h, '/api/v1/videos'), 3)
    assert.ok(endless.generated() < 600, `${endless.generated()} videos made up`)
    // Its newest (real) videos are among those kept.
    const stored = new Set(snapshot(h.db, h.bad.host).videos.map((v) => v.uuid))
    for (const v of h.healthy.videos) assert.ok(stored.has(v.uuid))
  } finally {
    await h.close()
  }
})

test('hostile: 429 with Retry-After on every other request is waited out, and the crawl completes', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    const added = fakeVideo({ name: 'Uploaded while throttling' })
    h.bad.spec.videos!.push(added)
    const throttle = tooManyRequestsEveryOther(1)
    h.bad.spec.respond = throttle
    const { summary, bad } = await h.crawl()
    h.assertOthersUnaffected(summary)
    assert.equal(bad.status, 'ok', bad.error ?? '')
    assert.equal(bad.videos.new, 1)
    assert.equal(h.badRow().videosCount, h.bad.expected().videos.length)
    // Every request was tried twice: once throttled, once answered; none more.
    const answered = h.bad.requests.length - throttle.limited()
    assert.equal(throttle.limited(), answered)
    assert.equal(bad.requests, h.bad.requests.length)
  } finally {
    await h.close()
  }
})

// What the bad instance holds must include every row it held while healthy, unchanged.
function assertKeeps(now: Snapshot, before: Snapshot): void {
  for (const kind of ['videos', 'channels', 'playlists'] as const) {
    for (const row of before[kind]) assert.ok(now[kind].some((r) => JSON.stringify(r) === JSON.stringify(row)), `${kind} row kept`)
  }
}

test('hostile: random 500s (seeded) are retried; a crawl they defeat keeps everything', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    h.bad.spec.videos!.push(fakeVideo({ name: 'Newer upload' }))
    const outcomes: string[] = []
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const flaky = randomFailures(seed, 0.4)
      h.bad.spec.respond = flaky
      const { summary, bad } = await h.crawl()
      h.assertOthersUnaffected(summary)
      assert.ok(flaky.failures() > 0, 'the noise happened')
      outcomes.push(bad.status)
      const now = snapshot(h.db, h.bad.host)
      if (bad.status === 'ok') {
        assert.equal(h.badRow().videosCount, h.bad.expected().videos.length)
      } else {
        assert.match(bad.error ?? '', /^[a-z /0-9]+: answered HTTP 500$/)
        assertKeeps(now, h.healthy)
      }
    }
    // With 40 % failures and two retries, some crawls get through and some do not (the seeds are fixed).
    assert.ok(outcomes.includes('ok') && outcomes.includes('failed'), outcomes.join(', '))
    delete h.bad.spec.respond
    const healed = await h.crawl()
    assert.equal(healed.bad.status, 'ok')
    assert.equal(h.badRow().videosCount, h.bad.expected().videos.length)
    assertKeeps(snapshot(h.db, h.bad.host), h.healthy)
  } finally {
    await h.close()
  }
})
