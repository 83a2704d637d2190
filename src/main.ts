import cluster from 'node:cluster'
import { Command } from 'commander'
import { VERSION } from './version.ts'
import { serveCommand } from './cli/serve.ts'
import { migrateCommand } from './cli/migrate.ts'
import { configCommand } from './cli/config.ts'
import { crawlCommand } from './cli/crawl.ts'
import { statsCommand } from './cli/stats.ts'
import { backupCommand } from './cli/backup.ts'
import { instancesCommand } from './cli/instances.ts'
import { actorCommands, moderationCommand } from './cli/moderation.ts'
import { searchCommand } from './cli/search.ts'
import { reindexCommand } from './cli/reindex.ts'
import { runWorker } from './serve/worker.ts'

const program = new Command()
  .name('sepia')
  .description('A self-hostable search gateway for the PeerTube federation')
  .version(VERSION)
  .option('-c, --config <file>', 'configuration file (default: $SEPIA_CONFIG, then ./sepia.config.json)')
  .showHelpAfterError()

for (const add of [
  serveCommand, crawlCommand, statsCommand, instancesCommand, actorCommands, moderationCommand, searchCommand, reindexCommand,
  migrateCommand, backupCommand, configCommand,
]) {
  add(program)
}

// A worker process of `sepia serve` takes its job from its supervisor, not from the command line.
if (cluster.isWorker) runWorker()
else void program.parseAsync()
