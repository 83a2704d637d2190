// `sepia instances list|add|remove|block|unblock` and `sepia moderation log|blocks` as an admin runs them: the real
// CLI in a child process, on the database file of a crawled fake federation.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runCrawl } from '../../src/crawler/run.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import type { Db } from '../../src/db/open.ts'
import { crawledFederation, openTestDb } from '../helpers/crawled.ts'
import { startFakeFederation } from '../fake/federation.ts'
import { ok, okJson, sepia } from './cli.ts'

const count = (db: Db, table: string, host: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table} JOIN instances i ON i.id = instance_id WHERE i.host = ?`).get(host) as { n: number }).n
const searchHosts = (db: Db, text: string) => {
  const q = parseVideosParams({ search: text, nsfw: 'both', count: '100' })
  assert.ok(q.ok)
  return new Set(searchVideos(db, q.query).data.map((v) => v.account.host))
}

test('block and unblock round trip: content goes at once, the list URL cannot bring it back, unblock restores it', async () => {
  const c = await crawledFederation()
  try {
    const file = c.federation.configFile()
    const [, b] = c.federation.instances
    const expected = b!.expected()
    assert.equal(count(c.db, 'videos', b!.host), expected.videos.length)
    assert.ok(searchHosts(c.db, 'session').has(b!.host), 'B is found before the block')

    const blocked = await ok(file, 'instances', 'block', b!.host, '--reason', 'spam and scams')
    assert.equal(
      blocked.trim(),
      `blocked ${b!.host}: removed ${expected.videos.length} videos, ${expected.channels.length} channels, ${expected.playlists.length} playlists`,
    )
    // Gone from the tables and from the full-text index, as seen by another connection (a running serve).
    for (const table of ['videos', 'channels', 'playlists']) assert.equal(count(c.db, table, b!.host), 0, table)
    assert.ok(!searchHosts(c.db, 'session').has(b!.host), 'B is not found after the block')
    assert.equal(instanceByHost(c.db, b!.host), undefined)

    const again = await ok(file, 'instances', 'block', b!.host, '--reason', 'other')
    assert.match(again, /was already blocked since .*: spam and scams/)

    const list = await okJson(file, 'instances', 'list')
    const row = list.instances.find((i: { host: string }) => i.host === b!.host)
    assert.equal(row.status, 'blocked')
    assert.deepEqual(row.sources, ['blocked-hand'])
    assert.equal(row.blockReason, 'spam and scams')
    assert.equal(list.instances.filter((i: { status: string }) => i.status === 'ok').length, 2)
    const table = await ok(file, 'instances', 'list')
    assert.match(table, /^HOST +SOURCE +STATUS +VERSION +VIDEOS +CHANNELS +PLAYLISTS +LAST SUCCESS +LAST ERROR \/ REASON$/m)
    assert.match(table, new RegExp(`^${b!.host.replace(/\./g, '\\.')} +blocked +blocked +- +0 +0 +0 +- +spam and scams \\(since `, 'm'))

    // The list URL still names B: a crawl neither re-adds it nor contacts it.
    for (const i of c.federation.instances) i.requests.length = 0
    const s = await runCrawl({ db: c.db, config: c.config })
    assert.equal(s.totals.ok, 2)
    assert.equal(b!.requests.length, 0, 'a blocked instance is not contacted')
    assert.equal(instanceByHost(c.db, b!.host), undefined)

    // `sepia crawl --host` says why it does not crawl it.
    const targeted = await sepia(file, 'crawl', '--host', b!.host)
    assert.match(targeted.stdout, new RegExp(`FAILED  ${b!.host.replace(/\./g, '\\.')}  blocked by hand: spam and scams`))

    const unblocked = await ok(file, 'instances', 'unblock', b!.host, '--reason', 'they cleaned up')
    assert.match(unblocked, /will be indexed again if the list URL names it at the next crawl/)
    const notBlocked = await sepia(file, 'instances', 'unblock', b!.host)
    assert.equal(notBlocked.code, 1)
    assert.equal(notBlocked.stderr, `sepia: ${b!.host} is not blocked\n`)

    const back = await runCrawl({ db: c.db, config: c.config })
    assert.equal(back.totals.ok, 3)
    assert.equal(count(c.db, 'videos', b!.host), expected.videos.length)
    assert.ok(searchHosts(c.db, 'session').has(b!.host))

    const log = await okJson(file, 'moderation', 'log')
    assert.deepEqual(
      log.map((e: { action: string; kind: string; target: string; reason: string | null }) => [e.action, e.kind, e.target, e.reason]),
      [
        ['unblock', 'host', b!.host, 'they cleaned up'],
        ['block', 'host', b!.host, 'spam and scams'],
      ],
    )
    assert.match(log[1].effect, /^removed 30 videos, 2 channels, 2 playlists$/)
    assert.ok(!Number.isNaN(Date.parse(log[0].at)))
    assert.match(await ok(file, 'moderation', 'log'), /^WHEN +ACTION +TARGET +REASON +EFFECT\n.* unblock host +127\.0\.0\.1:\d+ +they cleaned up +/)
  } finally {
    await c.close()
  }
})

test('block needs a reason and a real host name; mistakes are explained, nothing changes', async () => {
  const c = await crawledFederation()
  try {
    const file = c.federation.configFile()
    const [a] = c.federation.instances
    const noReason = await sepia(file, 'instances', 'block', a!.host)
    assert.equal(noReason.code, 1)
    assert.match(noReason.stderr, /required option '--reason <text>' not specified/)
    const emptyReason = await sepia(file, 'instances', 'block', a!.host, '--reason', '  ')
    assert.equal(emptyReason.stderr, 'sepia: --reason must not be empty\n')
    const badHost = await sepia(file, 'instances', 'block', 'not a host!', '--reason', 'x')
    assert.equal(badHost.code, 1)
    assert.equal(badHost.stderr, 'sepia: "not a host!" is not a host name such as video.example.org\n')
    assert.equal(count(c.db, 'videos', a!.host), a!.expected().videos.length, 'nothing was removed')
    // A pasted URL is understood.
    assert.match(await ok(file, 'instances', 'block', `http://${a!.host}/videos/local`, '--reason', 'test'), new RegExp(`^blocked ${a!.host.replace(/\./g, '\\.')}: removed 120 videos`))
    const blocks = await okJson<{ since: string }[]>(file, 'moderation', 'blocks')
    const since = blocks[0]?.since ?? ''
    assert.deepEqual(blocks, [{ kind: 'host', target: a!.host, reason: 'test', since }])
    assert.ok(Date.now() - Date.parse(since) < 60_000)
  } finally {
    await c.close()
  }
})

test('allowlist mode indexes only the hosts the admin named; add and remove take effect without a restart', async () => {
  const fed = await startFakeFederation()
  const [a, b, c] = fed.instances
  const file = fed.configFile({ instances: { allowlistOnly: true, hosts: [a!.host] } })
  const config = fed.config({ instances: { allowlistOnly: true, hosts: [a!.host] } })
  const db = openTestDb(config)
  try {
    assert.match(await ok(file, 'instances', 'add', c!.host, '--reason', 'asked by its admin'), /^added 127\.0\.0\.1:\d+: it will be crawled at the next crawl/)
    assert.match(await ok(file, 'instances', 'add', c!.host), /was already added/)
    const crawl = await ok(file, 'crawl')
    assert.match(crawl, /done: 2 instances: 2 ok, 0 failed/)
    assert.equal(fed.list.requests.length, 0, 'the list URL is not even read')
    assert.equal(b!.requests.length, 0)
    assert.equal(count(db, 'videos', a!.host), a!.expected().videos.length)
    assert.equal(count(db, 'videos', c!.host), c!.expected().videos.length)

    const list = await okJson(file, 'instances', 'list')
    assert.equal(list.allowlistOnly, true)
    assert.deepEqual(
      list.instances.map((i: { host: string; sources: string[]; status: string }) => [i.host, i.sources, i.status]),
      [[a!.host, ['config'], 'ok'], [c!.host, ['hand'], 'ok']].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    )
    assert.match(await ok(file, 'instances', 'list'), /^allowlist mode: only instances.hosts and hosts added by hand are indexed/)

    // Removing a host added by hand takes its content out at once; one named by the configuration stays.
    const removed = await ok(file, 'instances', 'remove', c!.host, '--reason', 'closed')
    assert.equal(removed.trim(), `removed ${c!.host}: removed ${c!.expected().videos.length} videos, 2 channels, 2 playlists`)
    assert.equal(count(db, 'videos', c!.host), 0)
    const configured = await sepia(file, 'instances', 'remove', a!.host)
    assert.equal(configured.code, 1)
    assert.equal(configured.stderr, `sepia: ${a!.host} was not added by hand; it is indexed because instances.hosts names it: block it to stop indexing it\n`)

    // A blocked host cannot be added by mistake.
    await ok(file, 'instances', 'block', b!.host, '--reason', 'no')
    const addBlocked = await sepia(file, 'instances', 'add', b!.host)
    assert.equal(addBlocked.code, 1)
    assert.equal(addBlocked.stderr, `sepia: ${b!.host} is blocked (no); unblock it first with \`sepia instances unblock ${b!.host}\`\n`)

    // Leaving allowlist mode: the list URL counts again.
    const open = fed.configFile({ instances: { hosts: [a!.host] } }, 'open.json')
    assert.match(await ok(open, 'crawl'), /done: 2 instances: 2 ok/)
    const after = await okJson(open, 'instances', 'list')
    assert.deepEqual(
      after.instances.map((i: { host: string; sources: string[] }) => [i.host, i.sources]),
      [[a!.host, ['list', 'config']], [b!.host, ['blocked-hand']], [c!.host, ['list']]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    )
    const log = await okJson(file, 'moderation', 'log')
    assert.deepEqual(log.map((e: { action: string; target: string }) => `${e.action} ${e.target}`), [`block ${b!.host}`, `remove ${c!.host}`, `add ${c!.host}`])
  } finally {
    db.close()
    await fed.close()
  }
})
