// Blocks made while a crawl is writing (from another process, as `sepia instances block` next to `sepia serve`):
// the crawl's next page must not bring back what the block removed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openDb } from '../../src/db/open.ts'
import { block } from '../../src/db/moderation.ts'
import { runCrawl } from '../../src/crawler/run.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { startFakeFederation } from '../fake/federation.ts'

/** Holds A's second page of videos until released; resolves `arrived` when the crawl asks for it. */
function gateSecondPage(spec: { respond?: unknown }) {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let arrived!: () => void
  const halfway = new Promise<void>((resolve) => (arrived = resolve))
  spec.respond = async (r: { path: string; query: Record<string, string> }) => {
    if (r.path === '/api/v1/videos' && r.query.start === '100') {
      arrived()
      await gate
    }
    return undefined
  }
  return { release, halfway }
}

test('an account blocked half-way through its instance’s crawl does not come back with the next pages', async () => {
  const fed = await startFakeFederation()
  const config = fed.config()
  const db = openTestDb(config)
  const admin = openDb(config.database.path) // the CLI's own connection
  try {
    const a = fed.instances[0]!
    const { release, halfway } = gateSecondPage(a.spec)
    const crawl = runCrawl({ db, config })
    await halfway
    const before = db.prepare(`SELECT count(*) AS n FROM videos WHERE account_name = 'marie'`).get() as { n: number }
    assert.ok(before.n > 0, 'the first page brought some of marie’s videos')
    const r = block(admin, 'account', a.host, 'marie', 'asked to be removed')
    assert.equal(r.removed.videos, before.n)
    release()
    const s = await crawl
    assert.equal(s.totals.ok, 3)
    const marie = db.prepare(`SELECT count(*) AS n FROM videos WHERE account_name = 'marie'`).get() as { n: number }
    assert.equal(marie.n, 0)
    const jean = a.expected().videos.filter((v) => v.account.name === 'jean').length
    assert.equal(instanceByHost(db, a.host)!.videosCount, jean)
    assert.deepEqual(db.prepare(`SELECT name FROM channels WHERE host = ?`).pluck().all(a.host), ['cuisine'])
  } finally {
    admin.close()
    db.close()
    await fed.close()
  }
})

test('a host blocked half-way through its crawl stops cleanly: no error recorded, nothing written back', async () => {
  const fed = await startFakeFederation()
  const config = fed.config()
  const db = openTestDb(config)
  const admin = openDb(config.database.path)
  try {
    const a = fed.instances[0]!
    const { release, halfway } = gateSecondPage(a.spec)
    const crawl = runCrawl({ db, config })
    await halfway
    assert.equal(block(admin, 'host', a.host, '', 'spam').removed.videos, 100)
    release()
    const s = await crawl
    const result = s.instances.find((i) => i.host === a.host)!
    assert.equal(result.status, 'stopped')
    assert.equal(result.error, 'blocked or removed from the index during its crawl')
    assert.equal(s.totals.ok, 2, 'the others are crawled as usual')
    assert.equal(instanceByHost(db, a.host), undefined)
    const left = db.prepare(`SELECT count(*) AS n FROM videos WHERE account_host = ?`).get(a.host) as { n: number }
    assert.equal(left.n, 0)
  } finally {
    admin.close()
    db.close()
    await fed.close()
  }
})
