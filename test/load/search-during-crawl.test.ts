// Load while crawling: concurrent searches over a real socket while a crawl writes the same database. Every
// search answers 200 (WAL readers are never blocked by the writer, no SQLITE_BUSY), and the crawl completes.
// Bounded: the searches run only as long as the crawl does, against a fake federation with a little latency.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createApp } from '../../src/http/app.ts'
import { openDb, type Db } from '../../src/db/open.ts'
import { runCrawl } from '../../src/crawler/run.ts'
import type { Config } from '../../src/config/config.ts'
import { openTestDb } from '../helpers/crawled.ts'
import { spawnCli, finished } from '../helpers/cli.ts'
import { startFakeFederation, fakeVideo, editFakeVideo, type FakeFederation } from '../fake/federation.ts'

const TIMEOUT = { timeout: 60_000 }
const CLIENTS = 6
// Enough to overlap the whole crawl on this machine, few enough to keep the test short.
const MAX_REQUESTS = 400

async function listenApp(db: Db, config: Config): Promise<{ origin: string; close(): Promise<void> }> {
  const app = createApp({ db, config })
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            ;(server as Server).closeAllConnections()
          }),
      })
    })
  })
}

// A mix of what visitors and apps ask: words, a prefix, browsing newest first, filters, POST, the site.
const SEARCHES: [string, RequestInit?][] = [
  ['/api/v1/search/videos?search=atelier'],
  ['/api/v1/search/videos?search=load%20test&count=50'],
  ['/api/v1/search/videos?search=phot'],
  ['/api/v1/search/videos?sort=-publishedAt&count=100'],
  ['/api/v1/search/videos?search=tube&languageOneOf=fr&sort=-views'],
  ['/api/v1/search/video-channels', { method: 'POST', body: JSON.stringify({ search: 'cuisine' }), headers: { 'content-type': 'application/json' } }],
  ['/api/v1/search/video-playlists?search=list'],
  ['/search?search=load+test'],
]

/** Runs CLIENTS search loops until `done` settles; returns every status seen. */
async function searchUntil(origin: string, done: Promise<unknown>): Promise<number[]> {
  const statuses: number[] = []
  let over = false
  void done.finally(() => (over = true))
  const client = async (offset: number) => {
    for (let i = offset; !over && statuses.length < MAX_REQUESTS; i++) {
      const [path, init] = SEARCHES[i % SEARCHES.length]!
      const res = await fetch(origin + path, init)
      await res.arrayBuffer()
      statuses.push(res.status)
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)))
  await done
  return statuses
}

// What the second crawl has to write: new videos with details, edits, deletions.
function changeTheFederation(fed: FakeFederation): string {
  const [a, , c] = fed.instances
  for (let i = 0; i < 100; i++) c!.spec.videos!.push(fakeVideo({ name: `Load test upload ${i}`, tags: ['load'] }))
  for (const v of a!.spec.videos!.slice(0, 40)) editFakeVideo(v, { name: `${v.name} (edited)` })
  a!.spec.videos!.splice(60, 20)
  for (const i of fed.instances) i.spec.latencyMs = 3
  return 'Load test upload 99'
}

// Collects what the process writes to stderr (the API logs its failures there).
function captureStderr(): { text(): string; restore(): void } {
  let text = ''
  const write = process.stderr.write.bind(process.stderr)
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    text += String(chunk)
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest)
  }) as typeof process.stderr.write
  return { text: () => text, restore: () => void (process.stderr.write = write) }
}

test('load: searches from another process keep answering while `sepia crawl` writes (WAL readers never blocked)', TIMEOUT, async () => {
  const fed = await startFakeFederation()
  const config = fed.config()
  const setup = openTestDb(config)
  await runCrawl({ db: setup, config })
  setup.close()
  const newest = changeTheFederation(fed)
  const reader = openDb(config.database.path)
  const served = await listenApp(reader, config)
  const stderr = captureStderr()
  try {
    const crawl = finished(spawnCli(['crawl', '--config', fed.configFile()]))
    const statuses = await searchUntil(served.origin, crawl)
    const r = await crawl
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /done: 3 instances: 3 ok, 0 failed; videos 100 new, 40 updated, 20 removed/)
    assert.ok(statuses.length >= CLIENTS * 3, `${statuses.length} searches during the crawl`)
    const failed = statuses.filter((s) => s !== 200)
    assert.deepEqual(failed, [], `${failed.length} of ${statuses.length} searches failed`)
    assert.ok(!/SQLITE_BUSY|SQLITE_LOCKED|failed/.test(stderr.text()), stderr.text())
    // The reader sees the crawl's result as soon as it is committed.
    const after = (await (await fetch(`${served.origin}/api/v1/search/videos?search=${encodeURIComponent(`"${newest}"`)}`)).json()) as { data: { name: string }[] }
    assert.equal(after.data[0]?.name, newest)
  } finally {
    stderr.restore()
    await served.close()
    reader.close()
    await fed.close()
  }
})

test('load: as in `sepia serve`, searches keep answering while the crawl writes through the same connection', TIMEOUT, async () => {
  const fed = await startFakeFederation()
  const config = fed.config()
  const db = openTestDb(config)
  await runCrawl({ db, config })
  const newest = changeTheFederation(fed)
  const served = await listenApp(db, config)
  const stderr = captureStderr()
  try {
    const crawl = runCrawl({ db, config })
    const statuses = await searchUntil(served.origin, crawl)
    const summary = await crawl
    assert.deepEqual([summary.totals.ok, summary.totals.videosNew, summary.totals.videosUpdated, summary.totals.videosRemoved], [3, 100, 40, 20])
    assert.ok(statuses.length >= CLIENTS * 3, `${statuses.length} searches during the crawl`)
    assert.deepEqual(statuses.filter((s) => s !== 200), [])
    assert.ok(!/SQLITE_BUSY|SQLITE_LOCKED|failed/.test(stderr.text()), stderr.text())
    const after = (await (await fetch(`${served.origin}/api/v1/search/videos?search=${encodeURIComponent(`"${newest}"`)}`)).json()) as { data: { name: string }[] }
    assert.equal(after.data[0]?.name, newest)
  } finally {
    stderr.restore()
    await served.close()
    db.close()
    await fed.close()
  }
})
