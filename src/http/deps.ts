import type { Config } from '../config/config.ts'
import type { Db } from '../db/open.ts'

/** What the HTTP layer needs; passed explicitly, never imported as globals. */
export type AppDeps = { db: Db; config: Config }
