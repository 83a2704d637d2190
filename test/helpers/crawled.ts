// A crawled index in one call, for search, API and site tests: the fake federation, a migrated temporary
// database, and one complete crawl of it.
import { openDb, type Db } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'
import type { Config } from '../../src/config/config.ts'
import { runCrawl, type CrawlSummary } from '../../src/crawler/run.ts'
import { startFakeFederation, type ConfigOverrides, type FakeFederation, type FakeInstanceSpec } from '../fake/federation.ts'

/** A fake federation with its crawled index; call close() when done (closes the database, servers, temp dir). */
export type CrawledFederation = {
  federation: FakeFederation
  config: Config
  db: Db
  summary: CrawlSummary
  close(): Promise<void>
}

/**
 * Starts the fake federation (default: the standard three instances), opens a migrated database in its temp
 * directory and crawls everything once. Throws if an instance failed, unless `allowFailures`.
 */
export async function crawledFederation(
  specs?: FakeInstanceSpec[],
  options: { config?: ConfigOverrides; allowFailures?: boolean } = {},
): Promise<CrawledFederation> {
  const federation = await startFakeFederation(specs)
  const config = federation.config(options.config)
  const db = openDb(config.database.path)
  try {
    migrate(db)
    const summary = await runCrawl({ db, config })
    const failed = summary.instances.filter((i) => i.status !== 'ok')
    if (failed.length && !options.allowFailures) {
      throw new Error(`crawl of the fake federation failed: ${failed.map((f) => `${f.host}: ${f.error}`).join('; ')}`)
    }
    return {
      federation,
      config,
      db,
      summary,
      close: async () => {
        db.close()
        await federation.close()
      },
    }
  } catch (err) {
    db.close()
    await federation.close()
    throw err
  }
}

/** Opens a fresh migrated database at the federation's default path (for tests that crawl step by step). */
export function openTestDb(config: Config): Db {
  const db = openDb(config.database.path)
  migrate(db)
  return db
}
