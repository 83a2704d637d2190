import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import { availableParallelism } from 'node:os'
import { fail, openContext } from './context.ts'
import { prepareImageCacheDir } from '../images/cache.ts'
import { startSupervisor } from '../serve/supervisor.ts'
import { applyConfiguredMembership } from '../crawler/run.ts'
import { log } from '../log.ts'

/** The most HTTP workers `--workers` accepts: well past the cores of the machines Sepia is meant for. */
export const MAX_WORKERS = 64

/** `sepia serve`: HTTP workers and the crawl scheduler, each in its own process (see src/serve/). */
export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the search API and site, and crawl on the configured schedule')
    .option('--host <host>', 'listen on this address instead of listen.host')
    .option('--port <port>', 'listen on this port instead of listen.port', (v) => Number(v))
    .option('--workers <n>', `HTTP worker processes (1-${MAX_WORKERS}; default: one per CPU core, here ${availableParallelism()})`, parseWorkers)
    .option('--no-crawl', 'do not run the crawl scheduler (serve the existing index only)')
    .action((opts: { host?: string; port?: number; workers?: number; crawl: boolean }, cmd: Command) => {
      // Migrating here, once, before any worker opens the database: workers never race to change the schema.
      const { config, db } = openContext(cmd)
      // A host blocked in the configuration loses its content when Sepia starts, crawling or not (--no-crawl), not
      // hours later at the next read of the instance list.
      const removed = applyConfiguredMembership(db, config)
      if (removed.length) log('info', `removed from the index per the configuration: ${removed.join(', ')}`)
      db.close()
      // Checked once here, before any worker starts: a folder the proxy cannot use is the admin's to fix.
      if (config.site.proxyImages) {
        try {
          prepareImageCacheDir(config.site.imageCacheDir)
        } catch (err) {
          fail(`site.imageCacheDir: ${(err as Error).message}`)
        }
      }
      if (config.database.path === ':memory:') {
        fail('sepia serve needs a database file, not database.path ":memory:": each of its processes would have a database of its own')
      }
      startSupervisor({
        config,
        host: opts.host ?? config.listen.host,
        port: opts.port ?? config.listen.port,
        workers: opts.workers ?? availableParallelism(),
        crawl: opts.crawl,
      })
    })
}

function parseWorkers(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_WORKERS}`)
  return n
}
