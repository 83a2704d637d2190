// `sepia backup` while `sepia crawl` writes: the copy is one committed state of the index, whole and consistent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { openDb } from '../../src/db/open.ts'
import { spawnCli, finished } from '../helpers/cli.ts'
import { startFakeFederation, standardFederation } from '../fake/federation.ts'
import { ok } from './cli.ts'

test('a backup taken during a crawl opens and holds the same rows as the database it copied', async () => {
  const specs = standardFederation()
  // B and C answer slowly, so that they are being written while the backup runs.
  specs[1]!.latencyMs = 40
  specs[2]!.latencyMs = 40
  const fed = await startFakeFederation(specs)
  const [a, b, c] = fed.instances
  // A's second page of videos waits until the backup is done: the crawl is then certainly half-way.
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let arrived!: () => void
  const halfway = new Promise<void>((resolve) => (arrived = resolve))
  a!.spec.respond = async (r) => {
    if (r.path === '/api/v1/videos' && r.query.start === '100') {
      arrived()
      await gate
    }
    return undefined
  }
  const file = fed.configFile()
  const crawl = finished(spawnCli(['crawl', '--config', file]))
  try {
    await halfway
    const copyPath = join(fed.dir, 'backup.db')
    assert.match(await ok(file, 'backup', copyPath), /^backed up .* to .*backup\.db \(\d+ pages\)\n$/)

    const copy = openDb(copyPath, { readonly: true })
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
      assert.deepEqual(copy.pragma('foreign_key_check'), [], 'every row belongs to an instance that exists')
      const n = (sql: string) => (copy.prepare(sql).get() as { n: number }).n
      // The full-text indexes and the counters agree with the tables: no half-written page in the copy.
      for (const [table, fts] of [['videos', 'videos_fts'], ['videos', 'videos_short_fts'], ['channels', 'channels_fts'], ['playlists', 'playlists_fts']]) {
        assert.equal(n(`SELECT count(*) AS n FROM ${fts}`), n(`SELECT count(*) AS n FROM ${table}`), fts)
        assert.equal(n(`SELECT n FROM search_totals WHERE kind = '${table}'`), n(`SELECT count(*) AS n FROM ${table}`), `search_totals ${table}`)
      }
      // A is paused after its first page, which was committed before the second was asked for.
      const perHost = (host: string) => n(`SELECT count(*) AS n FROM videos JOIN instances i ON i.id = instance_id WHERE i.host = '${host}'`)
      assert.equal(perHost(a!.host), 100)
      assert.ok(perHost(b!.host) <= b!.expected().videos.length && perHost(c!.host) <= c!.expected().videos.length)
      // And it is a working database: the crawl run is recorded as running, as it was when copied.
      assert.equal((copy.prepare('SELECT status FROM crawl_runs ORDER BY id DESC LIMIT 1').get() as { status: string }).status, 'running')
    } finally {
      copy.close()
    }
  } finally {
    release()
    const done = await crawl
    assert.equal(done.code, 0, done.stderr)
    assert.match(done.stdout, /done: 3 instances: 3 ok, 0 failed/)
    await fed.close()
  }
})
