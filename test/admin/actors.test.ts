// `sepia accounts block|unblock` and `sepia channels block|unblock`: finer than a host, same promises.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runCrawl } from '../../src/crawler/run.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import type { Db } from '../../src/db/open.ts'
import { crawledFederation } from '../helpers/crawled.ts'
import { ok, okJson, sepia } from './cli.ts'

const names = (db: Db, sql: string, host: string) => (db.prepare(sql).pluck().all(host) as string[]).sort()
const videoAccounts = (db: Db, host: string) => new Set(names(db, 'SELECT account_name FROM videos WHERE account_host = ?', host))
const videoChannels = (db: Db, host: string) => new Set(names(db, 'SELECT channel_name FROM videos WHERE channel_host = ?', host))
const ftsMatches = (db: Db, word: string) => (db.prepare('SELECT count(*) AS n FROM videos_fts WHERE videos_fts MATCH ?').get(`name:${word}`) as { n: number }).n

test('an account block removes its videos, channels and playlists at once and they are never indexed again', async () => {
  const c = await crawledFederation()
  try {
    const file = c.federation.configFile()
    const b = c.federation.instances[1]!
    const truth = b.expected()
    const bobVideos = truth.videos.filter((v) => v.account.name === 'bob').length
    const bobPlaylists = truth.playlists.filter((p) => p.ownerAccount.name === 'bob').length
    assert.ok(bobVideos > 0 && bobPlaylists > 0)
    assert.deepEqual(videoAccounts(c.db, b.host), new Set(['bob', 'carla']))

    // Case and a leading @ do not matter, as in PeerTube.
    const out = await ok(file, 'accounts', 'block', `@Bob@${b.host}`, '--reason', 'harassment')
    assert.equal(out.trim(), `blocked account bob@${b.host}: removed ${bobVideos} videos, 1 channel, ${bobPlaylists} playlist${bobPlaylists === 1 ? '' : 's'}`)
    assert.deepEqual(videoAccounts(c.db, b.host), new Set(['carla']))
    assert.deepEqual(names(c.db, 'SELECT owner_name FROM channels WHERE host = ?', b.host), ['carla'])
    assert.deepEqual(names(c.db, 'SELECT owner_name FROM playlists WHERE owner_host = ?', b.host), ['carla'])
    const row = instanceByHost(c.db, b.host)!
    assert.equal(row.videosCount, truth.videos.length - bobVideos, 'the instance counts follow')

    // The next crawls skip bob, and do not even fetch the details of his new videos.
    for (const i of c.federation.instances) i.requests.length = 0
    const s = await runCrawl({ db: c.db, config: c.config })
    assert.equal(s.totals.ok, 3)
    assert.deepEqual(videoAccounts(c.db, b.host), new Set(['carla']))
    assert.deepEqual(names(c.db, 'SELECT owner_name FROM channels WHERE host = ?', b.host), ['carla'])
    assert.deepEqual(names(c.db, 'SELECT owner_name FROM playlists WHERE owner_host = ?', b.host), ['carla'])
    assert.equal(instanceByHost(c.db, b.host)!.videosCount, truth.videos.length - bobVideos)
    assert.equal(b.requests.filter((r) => /^\/api\/v1\/videos\/[^/]+$/.test(r.path)).length, 0)

    const list = await okJson(file, 'moderation', 'blocks')
    assert.deepEqual(list.map((x: { kind: string; target: string; reason: string }) => [x.kind, x.target, x.reason]), [['account', `bob@${b.host}`, 'harassment']])

    const bad = await sepia(file, 'accounts', 'block', 'bob', '--reason', 'x')
    assert.equal(bad.code, 1)
    assert.equal(bad.stderr, 'sepia: "bob" is not an account handle such as alice@video.example.org\n')

    assert.match(await ok(file, 'accounts', 'unblock', `bob@${b.host}`), /content will be indexed again at the next crawl/)
    await runCrawl({ db: c.db, config: c.config })
    assert.deepEqual(videoAccounts(c.db, b.host), new Set(['bob', 'carla']))
    assert.equal(instanceByHost(c.db, b.host)!.videosCount, truth.videos.length)
    const log = await okJson(file, 'moderation', 'log')
    assert.deepEqual(log.map((e: { action: string; kind: string; target: string }) => `${e.action} ${e.kind} ${e.target}`), [
      `unblock account bob@${b.host}`,
      `block account bob@${b.host}`,
    ])
  } finally {
    await c.close()
  }
})

test('a channel block removes the channel, its videos and its playlists, and leaves the owner’s other content', async () => {
  const c = await crawledFederation()
  try {
    const file = c.federation.configFile()
    const a = c.federation.instances[0]!
    const truth = a.expected()
    const cuisine = truth.videos.filter((v) => v.channel.name === 'cuisine').length
    assert.ok(ftsMatches(c.db, 'cafe') > 0)
    const out = await ok(file, 'channels', 'block', `cuisine@${a.host}`, '--reason', 'copyright')
    assert.equal(out.trim(), `blocked channel cuisine@${a.host}: removed ${cuisine} videos, 1 channel, 1 playlist`)
    assert.deepEqual(videoChannels(c.db, a.host), new Set(['sciences']))
    assert.deepEqual(names(c.db, 'SELECT name FROM channels WHERE host = ?', a.host), ['sciences'])
    assert.deepEqual(names(c.db, 'SELECT display_name FROM playlists WHERE owner_host = ?', a.host), ['Astronomie pour débutants'])
    // The full-text index followed the deletion: every remaining match is a sciences video.
    const left = c.db.prepare(`SELECT count(*) AS n FROM videos WHERE channel_host = ? AND name LIKE '%Café%'`).get(a.host) as { n: number }
    assert.equal(ftsMatches(c.db, 'cafe'), left.n)

    await runCrawl({ db: c.db, config: c.config })
    assert.deepEqual(videoChannels(c.db, a.host), new Set(['sciences']), 'the crawler skips the blocked channel')
    assert.deepEqual(names(c.db, 'SELECT name FROM channels WHERE host = ?', a.host), ['sciences'])

    const unknown = await sepia(file, 'channels', 'unblock', `nope@${a.host}`)
    assert.equal(unknown.code, 1)
    assert.equal(unknown.stderr, `sepia: channel nope@${a.host} is not blocked\n`)
  } finally {
    await c.close()
  }
})
