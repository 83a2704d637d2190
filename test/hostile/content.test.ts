// Hostile instances at the content level: answers that are not JSON, JSON of the wrong shape, duplicates,
// markup everywhere, and claims on other instances' videos. Broken answers fail the instance with a readable
// reason and keep what it had; noise is skipped while the valid content is indexed; the others never notice.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createApp } from '../../src/http/app.ts'
import { LIMITS } from '../../src/crawler/items/common.ts'
import { editFakeVideo, type FakeInstance } from '../fake/federation.ts'
import {
  claimsVideosOf, distort, duplicateUuids, hostileUrls, htmlVideo, invalidJson, nullsEverywhere, stringsForNumbers, when,
  HTML_PAYLOAD, type Respond,
} from '../fake/hostile.ts'
import { hostileScenario, snapshot, type HostileScenario } from './harness.ts'

const TIMEOUT = { timeout: 20_000 }

async function failsAndKeepsItsContent(h: HostileScenario, behaviour: Respond, reason: RegExp): Promise<void> {
  h.bad.spec.respond = behaviour
  const { summary, bad } = await h.crawl()
  h.assertOthersUnaffected(summary)
  assert.equal(bad.status, 'failed')
  assert.match(bad.error ?? '', reason)
  assert.equal(h.badRow().lastError, bad.error)
  assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy, 'nothing indexed from it was lost')
  delete h.bad.spec.respond
  const healed = await h.crawl()
  assert.equal(healed.bad.status, 'ok')
  assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy)
}

const videoRow = (h: HostileScenario, uuid: string) => h.db.prepare('SELECT * FROM videos WHERE uuid = ?').get(uuid) as Record<string, any> | undefined

test('hostile: an instance answering invalid JSON is marked failing', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    await failsAndKeepsItsContent(h, invalidJson(when.listing), /^listing videos: answered something that is not JSON$/)
  } finally {
    await h.close()
  }
})

test('hostile: wrong shape, strings for numbers everywhere (total and ids too)', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    // Every item is unreadable: that is a broken listing, not noise, and must not empty the index.
    await failsAndKeepsItsContent(
      h,
      distort(h.bad, when.listing, (body) => stringsForNumbers(body)),
      /^listing videos: answered only invalid items \(id: Invalid type: Expected number but received "\d+"\)$/,
    )
  } finally {
    await h.close()
  }
})

test('hostile: wrong shape, nulls everywhere', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    await failsAndKeepsItsContent(h, distort(h.bad, when.lists, (body) => nullsEverywhere(body)), /^listing videos: answered only invalid items \(/)
    // The same on the channel and playlist listings only.
    await failsAndKeepsItsContent(h, distort(h.bad, (r) => r.path === '/api/v1/video-channels', (body) => nullsEverywhere(body)), /^listing channels: answered only invalid items \(/)
    await failsAndKeepsItsContent(h, distort(h.bad, (r) => r.path === '/api/v1/video-playlists', (body) => nullsEverywhere(body)), /^listing playlists: answered only invalid items \(/)
    // An envelope of nulls ({total: null, data: null}) is a broken page.
    await failsAndKeepsItsContent(h, distort(h.bad, when.listing, () => ({ total: null, data: null })), /^listing videos: answered an invalid page \(data: /)
  } finally {
    await h.close()
  }
})

test('hostile: wrong shape, missing fields on some items: those are skipped and keep their indexed version', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    const [one, two, three] = h.bad.spec.videos!
    editFakeVideo(three!, { name: 'Honest upload three, renamed' })
    h.bad.spec.respond = distort(h.bad, when.listing, (body: { data: Record<string, unknown>[] }) => ({
      ...body,
      data: body.data.map((item) => {
        const copy = { ...item }
        if (item.uuid === one!.uuid) delete copy.name
        if (item.uuid === two!.uuid) delete copy.publishedAt
        return copy
      }),
    }))
    const { summary, bad } = await h.crawl()
    h.assertOthersUnaffected(summary)
    assert.equal(bad.status, 'ok', 'noise, not a broken listing')
    assert.equal(bad.skipped, 2)
    assert.equal(h.badRow().skippedCount, 2)
    assert.equal(videoRow(h, three!.uuid)!.name, 'Honest upload three, renamed', 'the valid item is updated')
    const before = new Map(h.healthy.videos.map((v) => [v.uuid, v]))
    for (const v of [one!, two!]) {
      const { id: _i, instance_id: _n, seen_at: _s, search_key: _k, ...row } = videoRow(h, v.uuid)!
      assert.deepEqual(row, before.get(v.uuid), `${v.name} keeps its indexed version`)
    }
    // Once they are readable again, they are refreshed like any other.
    delete h.bad.spec.respond
    const healed = await h.crawl()
    assert.equal(healed.bad.skipped, 0)
    assert.equal(h.badRow().videosCount, 3)
  } finally {
    await h.close()
  }
})

test('hostile: wrong shape, 10 000 tags and 1 MB titles are capped, not stored whole', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    const mb = 'é'.repeat(512 * 1024) // 1 MB of UTF-8
    const [one, two] = h.bad.spec.videos!
    editFakeVideo(one!, { tags: Array.from({ length: 10_000 }, (_, i) => `tag${i}`), description: mb })
    editFakeVideo(two!, { name: mb, account: { name: 'a'.repeat(5000), displayName: mb }, channel: { name: 'big', displayName: mb } })
    h.bad.spec.channels![0]!.displayName = mb
    h.bad.spec.playlists![0]!.displayName = mb
    h.bad.spec.playlists![0]!.description = mb
    const { summary, bad } = await h.crawl()
    h.assertOthersUnaffected(summary)
    assert.equal(bad.status, 'ok')
    const tagged = videoRow(h, one!.uuid)!
    assert.deepEqual(JSON.parse(tagged.tags), Array.from({ length: LIMITS.tags }, (_, i) => `tag${i}`))
    assert.equal(tagged.description.length, LIMITS.description)
    const titled = videoRow(h, two!.uuid)!
    assert.equal(titled.name.length, LIMITS.name)
    assert.equal(titled.account_display_name.length, LIMITS.name)
    assert.equal(titled.account_name.length, LIMITS.actorName)
    const channel = h.db.prepare('SELECT display_name FROM channels WHERE name = ?').pluck().get('honest') as string
    assert.equal(channel.length, LIMITS.name)
    const playlist = h.db.prepare('SELECT display_name, description FROM playlists WHERE uuid = ?').get(h.bad.spec.playlists![0]!.uuid) as Record<string, string>
    assert.deepEqual([playlist.display_name!.length, playlist.description!.length], [LIMITS.name, LIMITS.description])
    // The whole instance weighs kilobytes in the index, not megabytes.
    const stored = h.db.prepare(`SELECT sum(length(name) + length(coalesce(description, '')) + length(tags) + length(account_display_name)) FROM videos WHERE account_host = ?`).pluck().get(h.bad.host) as number
    assert.ok(stored < 30_000, `${stored} characters stored`)
  } finally {
    await h.close()
  }
})

test('hostile: duplicate uuids in a listing keep the first occurrence only', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    h.bad.spec.respond = duplicateUuids(h.bad)
    const { summary, bad } = await h.crawl()
    h.assertOthersUnaffected(summary)
    assert.equal(bad.status, 'ok')
    assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy, 'no impostor replaced an original')
    assert.equal(h.db.prepare(`SELECT count(*) FROM videos WHERE name LIKE 'Impostor%'`).pluck().get(), 0)
    assert.equal(h.db.prepare(`SELECT count(*) FROM playlists WHERE display_name LIKE 'Impostor%'`).pluck().get(), 0)
    // Each video's details were fetched once at most, whatever the number of copies.
    const details = h.bad.requests.filter((r) => when.details(r)).map((r) => r.path.toLowerCase())
    assert.equal(new Set(details).size, details.length)
  } finally {
    await h.close()
  }
})

test('hostile: HTML and JS in every text field are stored as text, served verbatim as JSON and escaped on the site', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    const target = h.bad.spec.videos![0]!
    Object.assign(target, htmlVideo(editFakeVideo(target, {})))
    h.bad.spec.respond = hostileUrls(h.bad)
    const { summary, bad } = await h.crawl()
    h.assertOthersUnaffected(summary)
    assert.equal(bad.status, 'ok')
    const row = videoRow(h, target.uuid)!
    assert.equal(row.name, `Title ${HTML_PAYLOAD}`)
    assert.equal(row.description, `Description ${HTML_PAYLOAD}`)
    assert.deepEqual(JSON.parse(row.tags), ['<script>', '"onmouseover="x', "'><b>"])
    assert.equal(row.account_display_name, `Account ${HTML_PAYLOAD}`)
    assert.equal(row.channel_display_name, `Channel ${HTML_PAYLOAD}`)
    // URLs the instance sent to other places or as scripts are replaced by its own, or dropped.
    assert.equal(row.url, `${h.bad.origin}/videos/watch/${target.uuid}`)
    assert.equal(row.embed_url, `${h.bad.origin}/videos/embed/${target.uuid}`)
    assert.deepEqual([row.thumbnail_url, row.preview_url], [null, null])

    const app = createApp({ db: h.db, config: h.config })
    const api = await app.request(`/api/v1/search/videos?search=${encodeURIComponent('Title')}&count=100`)
    assert.equal(api.status, 200)
    assert.match(api.headers.get('content-type') ?? '', /^application\/json/)
    const found = ((await api.json()) as { data: Record<string, any>[] }).data.find((v) => v.uuid === target.uuid)
    assert.ok(found, 'the video is found by its title')
    assert.equal(found.name, `Title ${HTML_PAYLOAD}`)
    assert.equal(found.description, `Description ${HTML_PAYLOAD}`)
    assert.equal(found.account.displayName, `Account ${HTML_PAYLOAD}`)
    assert.equal(found.channel.displayName, `Channel ${HTML_PAYLOAD}`)
    assert.equal(found.url, row.url)

    const page = await app.request(`/search?search=${encodeURIComponent('Title')}`)
    assert.equal(page.status, 200)
    const html = await page.text()
    assert.ok(html.includes('Title &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;'), 'the title is shown, escaped')
    for (const raw of ['<script>alert', '<img src=x', '<svg onload', '"onmouseover="', "'><b>"]) assert.ok(!html.includes(raw), `no raw ${raw}`)
    for (const [, href] of html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)) {
      assert.match(href!, /^(https?:\/\/|\/|\?|#)/, `a link or source goes nowhere unexpected: ${href}`)
    }
  } finally {
    await h.close()
  }
})

test('hostile: an instance claiming videos of another host gets none of them', TIMEOUT, async () => {
  const h = await hostileScenario()
  try {
    const victim = h.good[1] as FakeInstance
    h.bad.spec.respond = claimsVideosOf(h.bad, victim)
    const { summary, bad } = await h.crawl()
    h.assertOthersUnaffected(summary)
    assert.equal(bad.status, 'ok')
    const victims = victim.expected().videos.length
    // Copies under its own accounts of uuids already owned are left out, and the result says whose they are.
    assert.deepEqual(bad.claimed, { count: victims, hosts: [victim.host] })
    assert.equal(bad.skipped, 0, 'not "invalid": claimed')
    assert.deepEqual([h.badRow().claimedCount, h.badRow().claimedBy], [victims, [victim.host]])
    assert.deepEqual(snapshot(h.db, h.bad.host), h.healthy, 'the thief keeps only its own videos')
    assert.equal(h.db.prepare(`SELECT count(*) FROM videos WHERE name LIKE 'Stolen %'`).pluck().get(), 0)
    // The victim's videos stay the victim's, as the victim described them.
    for (const v of victim.expected().videos) {
      const row = videoRow(h, v.uuid)!
      assert.deepEqual([row.account_host, row.name], [victim.host, v.name])
    }
  } finally {
    await h.close()
  }
})
