import type { Command } from 'commander'
import { openContext, fail } from './context.ts'
import { acquireLease, leaseHolder, releaseLease } from '../db/crawl-runs.ts'
import { reindex } from '../search/reindex.ts'
import { print } from './output.ts'

/**
 * `sepia reindex`: rebuilds the full-text indexes from the tables (after a crash on a bad disk, or an upgrade that
 * changed how text is indexed). Searches keep using the old index until the new one commits; crawls wait.
 */
export function reindexCommand(program: Command): void {
  program
    .command('reindex')
    .description('rebuild the full-text indexes from the videos, channels and playlists tables (safe while serve runs)')
    .action((_opts, cmd: Command) => {
      const { db } = openContext(cmd)
      // Holding the crawl lease keeps a crawl from starting meanwhile (its writes would wait on ours and time out).
      if (!acquireLease(db)) {
        const holder = leaseHolder(db)
        db.close()
        fail(`a crawl is running${holder ? ` (${holder.owner.split(':').slice(0, 2).join(', pid ')})` : ''}; try again when it has finished`)
      }
      const started = performance.now()
      try {
        for (const t of reindex(db)) print(`${t.fts}: ${t.rows} rows from ${t.from}`)
        print(`reindexed in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      } finally {
        releaseLease(db)
        db.close()
      }
    })
}
