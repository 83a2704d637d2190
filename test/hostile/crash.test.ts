// Crash safety and shutdown of the real `sepia serve` process: killed with SIGKILL in the middle of a crawl, the
// database stays intact and searchable and the restarted server finishes the job; stopped with SIGTERM, it
// stops accepting, stops the crawl at a safe point, closes the database and exits 0.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { existsSync } from 'node:fs'
import { openDb, type Db } from '../../src/db/open.ts'
import { leaseHolder, recentRuns } from '../../src/db/crawl-runs.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import { hasStackTrace, spawnCli } from '../helpers/cli.ts'
import { startServe, watchServe } from '../helpers/serve.ts'
import { startFakeFederation, type FakeFederation } from '../fake/federation.ts'

const TIMEOUT = { timeout: 60_000 }
const NEVER = '0 0 1 1 *'

function assertMatchesFake(db: Db, fed: FakeFederation): void {
  for (const inst of fed.instances) {
    const expected = inst.expected().videos
    const rows = db
      .prepare('SELECT v.uuid, v.name, v.description, v.tags FROM videos v JOIN instances i ON i.id = v.instance_id WHERE i.host = ? ORDER BY v.uuid')
      .all(inst.host)
    assert.deepEqual(
      rows,
      expected.map((v) => ({ uuid: v.uuid, name: v.name, description: v.description, tags: JSON.stringify(v.tags) })).sort((a, b) => a.uuid.localeCompare(b.uuid)),
      `${inst.spec.name} holds exactly the fake's videos`,
    )
  }
}

function assertIntact(db: Db): void {
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok')
  assert.deepEqual(db.pragma('foreign_key_check'), [])
  // FTS5's own check: every index is consistent with itself.
  for (const fts of ['videos_fts', 'videos_short_fts']) db.prepare(`INSERT INTO ${fts} (${fts}, rank) VALUES ('integrity-check', 0)`).run()
}

test('serve killed with SIGKILL mid-crawl: the database is intact and searchable, and a restart converges to the truth', TIMEOUT, async () => {
  const fed = await startFakeFederation()
  try {
    const old = fed.instances[0]!
    for (const i of fed.instances) i.spec.latencyMs = 2
    const file = fed.configFile({ crawl: { concurrency: 2, schedule: NEVER } })
    const child = spawnCli(['serve', '--config', file, '--port', '0'])
    // SIGKILL half-way through the old instance's 120 videos: some pages are written, the rest not.
    const killed = new Promise<void>((resolve) => {
      old.spec.respond = () => {
        if (old.requests.length === 70) {
          child.kill('SIGKILL')
          resolve()
        }
        return undefined
      }
    })
    const first = await watchServe(child)
    await killed
    assert.equal((await first.exit).signal, 'SIGKILL')
    assert.ok(first.port > 0)
    delete old.spec.respond

    const db = openDb(fed.config().database.path)
    try {
      assertIntact(db)
      const stored = db.prepare('SELECT uuid, name FROM videos ORDER BY id LIMIT 1').get() as { uuid: string; name: string } | undefined
      assert.ok(stored, 'something was indexed before the kill')
      // Listings come first, so by then every video may be listed: the kill came before all the details were in.
      const detailed = db.prepare('SELECT count(*) FROM videos WHERE details_updated_at IS updated_at').pluck().get() as number
      const total = fed.instances.reduce((n, i) => n + i.expected().videos.length, 0)
      assert.ok(detailed < total, `the kill came mid-crawl (${detailed} of ${total} videos with their details)`)
      // Searchable as it is: the full-text index answers and finds what was written.
      const parsed = parseVideosParams({ search: stored.name, count: '100' })
      assert.ok(parsed.ok)
      const found = searchVideos(db, parsed.query)
      assert.ok(found.data.some((v) => v.uuid === stored.uuid), 'an indexed video is found by its name')
      assert.equal(recentRuns(db, 1)[0]!.status, 'running', 'the dead run is left for the next start to resume')
    } finally {
      db.close()
    }

    // The restart resumes the run (the dead process's lease does not block it) and completes the index.
    const second = await startServe(file)
    await second.waitFor(/crawl done \(resumed\)/)
    second.child.kill('SIGTERM')
    const r = await second.exit
    assert.equal(r.code, 0, r.stderr)
    const after = openDb(fed.config().database.path)
    try {
      assertIntact(after)
      assertMatchesFake(after, fed)
      assert.equal(recentRuns(after, 5).filter((run) => run.status === 'running').length, 0)
    } finally {
      after.close()
    }
  } finally {
    await fed.close()
  }
})

test('serve on SIGTERM stops accepting, stops the crawl at a safe point, cuts stalled clients, closes the database, exits 0', TIMEOUT, async () => {
  const fed = await startFakeFederation()
  try {
    for (const i of fed.instances) i.spec.latencyMs = 20
    const file = fed.configFile({ crawl: { schedule: NEVER } })
    const crawling = new Promise<void>((resolve) => {
      fed.instances[0]!.spec.respond = () => void resolve()
    })
    const serve = await startServe(file)
    const port = serve.port
    // The crawl is under way.
    await crawling
    const home = await fetch(`http://127.0.0.1:${port}/`)
    assert.equal(home.status, 200)
    // A client that sends half a request and stalls (slowloris) must not hold the shutdown.
    const stalled = connect(port, '127.0.0.1')
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()))
    stalled.write('GET / HTTP/1.1\r\nHost: sepia.test\r\n')
    const stalledClosed = new Promise<void>((resolve) => stalled.once('close', () => resolve()))
    stalled.on('error', () => {})

    serve.child.kill('SIGTERM')
    const r = await serve.exit
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /SIGTERM received, shutting down/)
    assert.match(r.stderr, /stopped\n$/)
    assert.ok(!hasStackTrace(r.stderr), r.stderr)
    await stalledClosed
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'nothing listens any more')

    // Closed cleanly: no write-ahead log left to recover, the run recorded as interrupted, no instance blamed.
    const path = fed.config().database.path
    assert.equal(existsSync(`${path}-wal`), false)
    const db = openDb(path)
    try {
      assertIntact(db)
      const run = recentRuns(db, 1)[0]!
      assert.equal(run.status, 'interrupted')
      assert.equal(leaseHolder(db), null, 'the crawl lease is released')
      assert.equal(db.prepare('SELECT count(*) FROM instances WHERE error_count > 0').pluck().get(), 0)
    } finally {
      db.close()
    }
  } finally {
    await fed.close()
  }
})

test('serve: a second SIGTERM during a shutdown exits at once', TIMEOUT, async () => {
  const fed = await startFakeFederation()
  try {
    const file = fed.configFile({ crawl: { schedule: NEVER } })
    const serve = await startServe(file, '--no-crawl')
    const port = serve.port
    // A stalled client keeps the first shutdown waiting for its grace period.
    const stalled = connect(port, '127.0.0.1')
    stalled.on('error', () => {})
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()))
    stalled.write('GET / HTTP/1.1\r\n')
    serve.child.kill('SIGTERM')
    await serve.waitFor(/SIGTERM received, shutting down/)
    serve.child.kill('SIGTERM')
    const r = await serve.exit
    assert.equal(r.code, 1)
    assert.match(r.stderr, /SIGTERM received again, exiting now/)
    stalled.destroy()
    // Exiting without closing the database loses nothing: it is consistent as it is.
    const db = openDb(fed.config().database.path)
    try {
      assertIntact(db)
    } finally {
      db.close()
    }
  } finally {
    await fed.close()
  }
})
