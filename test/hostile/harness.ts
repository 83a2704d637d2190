// The frame every hostile-instance test shares: two well-behaved instances and one that turns hostile. The good
// ones are first crawled alone into a baseline database; then the whole federation is crawled while the bad one
// is still healthy, the test turns it hostile, and crawls again. The test then checks that the others ended up
// exactly as in the baseline and what became of the bad one.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { Config } from '../../src/config/config.ts'
import type { Db } from '../../src/db/open.ts'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'
import { runCrawl, type CrawlSummary } from '../../src/crawler/run.ts'
import type { InstanceCrawlResult } from '../../src/crawler/crawl.ts'
import { instanceByHost, type Instance } from '../../src/db/instances.ts'
import { createFactories } from '../fake/factories.ts'
import { startFakeFederation, type ConfigOverrides, type FakeFederation, type FakeInstance, type FakeInstanceSpec } from '../fake/federation.ts'

/** Short timeouts and retry delays: a slow or silent instance costs about a second, not minutes. */
export const HOSTILE_CRAWL = {
  timeoutMs: 300,
  maxRetries: 2,
  retryBaseDelayMs: 5,
  maxRetryDelayMs: 50,
  concurrency: 3,
}

const LONG = 'A description longer than the 250 characters PeerTube keeps in listings, so that details must be fetched. '.repeat(3)

/** Two small, healthy instances of two API generations (old dialect with /description, and a new one). */
export function goodSpecs(): FakeInstanceSpec[] {
  const make = createFactories(0x600d, '2022-01-01T00:00:00.000Z')
  return [
    {
      name: 'Good Old',
      version: '3.2.1',
      videos: [
        make.video({ name: 'Potager en hiver', tags: ['jardin'], description: `Potager. ${LONG}` }),
        make.video({ name: 'Réparer un vélo', tags: ['vélo', 'atelier'] }),
        make.video({ name: 'Nuit des étoiles', nsfw: true }),
        make.video({ name: 'Brouillon', privacy: 2 }),
        make.video({ name: 'Pain au levain', language: 'fr' }),
      ],
      remoteVideos: [make.video({ name: 'Venue d’ailleurs', host: 'far.example' })],
      channels: [make.channel({ name: 'jardin' }), make.channel({ name: 'ailleurs', host: 'far.example' })],
      playlists: [make.playlist({ displayName: 'Au jardin' })],
    },
    {
      name: 'Good New',
      version: '7.1.0',
      videos: [
        make.video({ name: 'Linux from scratch', tags: ['linux'], description: `Linux. ${LONG}` }),
        make.video({ name: 'Solar panels on a boat' }),
        make.video({ name: 'Live: night train', isLive: true }),
        make.video({ name: 'Private notes', privacy: 3 }),
      ],
      channels: [make.channel({ name: 'tinkering' }), make.channel({ name: 'trains' })],
      playlists: [make.playlist({ displayName: 'Weekend projects' }), make.playlist({ displayName: 'Unlisted', privacy: 2 })],
    },
  ]
}

/** The instance that will turn hostile: healthy content of its own, in a third API generation. */
export function badSpec(overrides: Partial<FakeInstanceSpec> = {}): FakeInstanceSpec {
  const make = createFactories(0xbad, '2023-01-01T00:00:00.000Z')
  return {
    name: 'Soon Hostile',
    version: '6.1.0',
    videos: [
      make.video({ name: 'Honest upload one', description: `One. ${LONG}`, tags: ['one'] }),
      make.video({ name: 'Honest upload two' }),
      make.video({ name: 'Honest upload three' }),
    ],
    channels: [make.channel({ name: 'honest' })],
    playlists: [make.playlist({ displayName: 'Honest list' })],
    ...overrides,
  }
}

/** A host's indexed content in a comparable form: every stored column but row ids and crawl stamps. */
export type Snapshot = { videos: Record<string, unknown>[]; channels: Record<string, unknown>[]; playlists: Record<string, unknown>[] }

const VOLATILE = new Set(['id', 'instance_id', 'seen_at', 'search_key'])

function rows(db: Db, table: string, host: string, order: string): Record<string, unknown>[] {
  const all = db.prepare(`SELECT t.* FROM ${table} t JOIN instances i ON i.id = t.instance_id WHERE i.host = ? ORDER BY t.${order}`).all(host) as Record<string, unknown>[]
  return all.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE.has(k))))
}

/** Everything indexed from a host. */
export function snapshot(db: Db, host: string): Snapshot {
  return { videos: rows(db, 'videos', host, 'uuid'), channels: rows(db, 'channels', host, 'name'), playlists: rows(db, 'playlists', host, 'uuid') }
}

/** A running hostile scenario; `crawl()` crawls the whole federation again. */
export type HostileScenario = {
  fed: FakeFederation
  good: FakeInstance[]
  bad: FakeInstance
  config: Config
  db: Db
  /** What the good instances alone gave, crawled into a database of their own. */
  baseline: Map<string, Snapshot>
  /** What the bad instance gave while it was still healthy. */
  healthy: Snapshot
  /** Crawls every instance again; returns the summary and the bad instance's result. */
  crawl(): Promise<{ summary: CrawlSummary; bad: InstanceCrawlResult; ms: number }>
  /** Asserts the good instances hold exactly the baseline and are not marked failing. */
  assertOthersUnaffected(summary: CrawlSummary): void
  /** The bad instance's row. */
  badRow(): Instance
  close(): Promise<void>
}

/** Starts the good instances and the bad one (still healthy), builds the baseline and crawls everything once. */
export async function hostileScenario(options: { bad?: FakeInstanceSpec; config?: ConfigOverrides } = {}): Promise<HostileScenario> {
  const fed = await startFakeFederation([...goodSpecs(), options.bad ?? badSpec()])
  const [g1, g2, bad] = fed.instances as [FakeInstance, FakeInstance, FakeInstance]
  const good = [g1, g2]
  const config = fed.config({ ...options.config, crawl: { ...HOSTILE_CRAWL, ...(options.config?.crawl as object | undefined) } })
  let db: Db | null = null
  try {
    // The baseline: the good instances alone, in their own database.
    const everyone = fed.list.hosts
    fed.list.hosts = good.map((g) => g.host)
    const alone = openDb(join(fed.dir, 'baseline.db'))
    migrate(alone)
    const b = await runCrawl({ db: alone, config })
    assert.equal(b.totals.ok, 2, 'the good instances crawl fine alone')
    const baseline = new Map(good.map((g) => [g.host, snapshot(alone, g.host)]))
    alone.close()
    fed.list.hosts = everyone

    const opened = openDb(config.database.path)
    db = opened
    migrate(opened)
    const first = await runCrawl({ db: opened, config })
    assert.deepEqual(first.instances.map((i) => [i.host, i.status, i.error]).sort(), fed.instances.map((i) => [i.host, 'ok', null]).sort())
    const healthy = snapshot(opened, bad.host)
    assert.ok(healthy.videos.length > 0 && healthy.channels.length > 0 && healthy.playlists.length > 0)
    for (const i of fed.instances) i.requests.length = 0

    return {
      fed,
      good,
      bad,
      config,
      db: opened,
      baseline,
      healthy,
      async crawl() {
        const started = performance.now()
        const summary = await runCrawl({ db: opened, config })
        const badResult = summary.instances.find((i) => i.host === bad.host)
        assert.ok(badResult, 'the bad instance was crawled')
        return { summary, bad: badResult, ms: performance.now() - started }
      },
      assertOthersUnaffected(summary) {
        for (const g of good) {
          const r = summary.instances.find((i) => i.host === g.host)
          assert.equal(r?.status, 'ok', `${g.spec.name} crawled fine`)
          assert.equal(instanceByHost(opened, g.host)?.lastError, null)
          assert.deepEqual(snapshot(opened, g.host), baseline.get(g.host), `${g.spec.name} holds exactly what it holds without the bad instance`)
        }
      },
      badRow: () => instanceByHost(opened, bad.host)!,
      close: async () => {
        opened.close()
        await fed.close()
      },
    }
  } catch (err) {
    db?.close()
    await fed.close()
    throw err
  }
}
