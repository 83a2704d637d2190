// `sepia search` prints what the API answers; `sepia reindex` rebuilds the full-text indexes to exactly what the
// triggers had built; GET /v1/moderation/blocks publishes blocks only when the configuration says so.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../src/db/open.ts'
import { block } from '../../src/db/moderation.ts'
import { parseConfig } from '../../src/config/config.ts'
import { createApp } from '../../src/http/app.ts'
import { acquireLease, releaseLease } from '../../src/db/crawl-runs.ts'
import { crawledFederation } from '../helpers/crawled.ts'
import { ok, okJson, sepia } from './cli.ts'
import { ftsContent } from '../search/seed.ts'

const FTS = ['videos_fts', 'videos_short_fts', 'channels_fts', 'playlists_fts']


test('sepia search prints the API’s results in the API’s order, for each type', async () => {
  const c = await crawledFederation()
  try {
    const file = c.federation.configFile()
    const app = createApp({ db: c.db, config: c.config })
    const api = async (path: string) => (await (await app.request(path)).json()) as { total: number; data: { uuid?: string; name: string; host?: string }[] }

    const cli = await okJson(file, 'search', 'linux', '--nsfw', 'both', '--count', '50')
    const viaApi = await api('/api/v1/search/videos?search=linux&nsfw=both&count=50')
    assert.equal(cli.total, viaApi.total)
    assert.ok(cli.total > 1)
    assert.deepEqual(cli.data.map((v: { uuid: string }) => v.uuid), viaApi.data.map((v) => v.uuid))

    const text = await ok(file, 'search', 'linux', '--nsfw', 'both', '--count', '3')
    assert.match(text, new RegExp(`^${viaApi.total} results\n\n#  SCORE +TITLE +CHANNEL +PUBLISHED +URL\n1  `))
    assert.equal(text.trim().split('\n').length, 3 + 3)
    assert.ok(text.includes(viaApi.data[0]!.name))

    const channels = await okJson(file, 'search', 'bob', '--type', 'channels')
    assert.deepEqual(channels.data.map((x: { name: string }) => x.name), (await api('/api/v1/search/video-channels?search=bob')).data.map((x) => x.name))
    assert.equal(channels.data[0].name, 'bob_channel')
    const playlists = await okJson(file, 'search', '--type', 'playlists', '--param', 'sort=-createdAt')
    assert.equal(playlists.total, 6)

    const bad = await sepia(file, 'search', 'x', '--count', '500')
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^sepia: invalid search: count: /)
    const badType = await sepia(file, 'search', 'x', '--type', 'accounts')
    assert.equal(badType.stderr, 'sepia: --type must be videos, channels or playlists, not "accounts"\n')
  } finally {
    await c.close()
  }
})

test('sepia reindex rebuilds lost or damaged full-text indexes to exactly what the triggers had built', async () => {
  const c = await crawledFederation()
  try {
    const file = c.federation.configFile()
    const before = FTS.map((t) => ftsContent(c.db, t))
    const totals = c.db.prepare('SELECT kind, n FROM search_totals ORDER BY kind').all()
    // Damage: one index emptied, another missing rows, a counter wrong.
    c.db.exec(`INSERT INTO videos_fts (videos_fts) VALUES ('delete-all')`)
    c.db.exec(`DELETE FROM channels_fts WHERE rowid IN (SELECT id FROM channels LIMIT 3)`)
    c.db.exec(`UPDATE search_totals SET n = 0`)
    assert.notEqual(ftsContent(c.db, 'videos_fts'), before[0])

    const out = await ok(file, 'reindex')
    assert.match(out, /^channels_fts: 6 rows from channels\nplaylists_fts: 6 rows from playlists\nvideos_fts: 176 rows from videos\nvideos_short_fts: 176 rows from videos\nreindexed in \d+\.\d s\n$/)
    assert.deepEqual(FTS.map((t) => ftsContent(c.db, t)), before)
    assert.deepEqual(c.db.prepare('SELECT kind, n FROM search_totals ORDER BY kind').all(), totals)

    // Not next to a running crawl: it would hold the write lock for as long as the rebuild takes.
    assert.ok(acquireLease(c.db, Date.now(), 'otherhost:1:x'))
    const busy = await sepia(file, 'reindex')
    assert.equal(busy.code, 1)
    assert.match(busy.stderr, /^sepia: a crawl is running \(otherhost, pid 1\); try again when it has finished\n$/)
    releaseLease(c.db, 'otherhost:1:x')
  } finally {
    await c.close()
  }
})

test('GET /v1/moderation/blocks publishes blocked hosts and reasons only when moderation.publishBlocks is on', async () => {
  const c = await crawledFederation()
  try {
    block(c.db, 'host', 'spam.example', '', 'spam', Date.UTC(2024, 0, 2))
    block(c.db, 'account', 'spam.example', 'bob', 'harassment')
    block(c.db, 'channel', 'video.example', 'x', 'copyright')
    // The whole application, so the test also shows the route is mounted where apps will look for it.
    const mount = (publishBlocks: boolean) =>
      createApp({ db: c.db, config: parseConfig({ database: { path: c.config.database.path }, moderation: { publishBlocks } }) })
    const published = await mount(true).request('/api/v1/moderation/blocks')
    assert.equal(published.status, 200)
    assert.deepEqual(await published.json(), {
      hosts: [{ host: 'spam.example', reason: 'spam', since: '2024-01-02T00:00:00.000Z' }],
      accounts: 1,
      channels: 1,
    })
    const hidden = await mount(false).request('/api/v1/moderation/blocks')
    assert.equal(hidden.status, 404)
    assert.equal(hidden.headers.get('content-type'), 'application/problem+json; charset=utf-8')
    assert.equal(((await hidden.json()) as { detail: string }).detail, 'This gateway does not publish its blocks.')
  } finally {
    await c.close()
  }
})
