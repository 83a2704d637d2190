import type { Statement } from 'better-sqlite3'
import type { Db } from './open.ts'

const cache = new WeakMap<Db, Map<string, Statement>>()

/** The prepared statement for this SQL on this connection, prepared on first use and reused afterwards. */
export function prepared(db: Db, sql: string): Statement {
  let statements = cache.get(db)
  if (!statements) cache.set(db, (statements = new Map()))
  let s = statements.get(sql)
  if (!s) statements.set(sql, (s = db.prepare(sql)))
  return s
}
