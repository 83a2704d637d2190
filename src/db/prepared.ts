import type { Statement } from 'better-sqlite3'
import type { Db } from './open.ts'

const cache = new WeakMap<Db, Map<string, Statement>>()

/** The prepared statement for this SQL on this connection, prepared on first use and reused afterwards. */
export function prepared(db: Db, sql: string): Statement {
  let statements = cache.get(db)
  if (!statements) cache.set(db, (statements = new Map()))
  let s = statements.get(sql)
  if (!s) {
    // The SQL texts come from a finite set of shapes (search expressions are parameters, not SQL); the bound only
    // guards against a bug multiplying them.
    if (statements.size > 4000) statements.clear()
    statements.set(sql, (s = db.prepare(sql)))
  }
  return s
}
