import type { Command } from 'commander'
import { configPath, loadConfig, ConfigError, type Config } from '../config/config.ts'
import { openDb, type Db } from '../db/open.ts'
import { AssetError } from '../assets.ts'
import { migrate, SchemaTooNewError } from '../db/migrate.ts'
import { printError } from './output.ts'

/** What every command needs: the validated configuration and an open, migrated database. */
export type Context = { config: Config; db: Db }

/** Loads the configuration named by --config / SEPIA_CONFIG, or exits with the problem before touching anything. */
export function configFor(cmd: Command): Config {
  const flag = cmd.optsWithGlobals().config as string | undefined
  const { path, explicit } = configPath(flag)
  try {
    return loadConfig(path, explicit)
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }
}

/**
 * Loads the configuration, opens the database and brings its schema up to date (refusing a newer schema);
 * `bulkWrites` for commands that crawl (src/db/open.ts).
 */
export function openContext(cmd: Command, options: { bulkWrites?: boolean } = {}): Context {
  const config = configFor(cmd)
  let db: Db
  try {
    db = openDb(config.database.path, options)
  } catch (err) {
    if (err instanceof AssetError) fail(err.message)
    throw err
  }
  try {
    migrate(db)
  } catch (err) {
    db.close()
    if (err instanceof SchemaTooNewError) fail(err.message)
    throw err
  }
  return { config, db }
}

/** Prints a message for the admin (no stack trace) and exits non-zero. */
export function fail(message: string, code = 1): never {
  printError(`sepia: ${message}`)
  process.exit(code)
}
