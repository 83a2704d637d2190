import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createApp } from '../../src/http/app.ts'
import { parseConfig } from '../../src/config/config.ts'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'

// Found by the visitor fuzzer: a NUL byte in a tag filter ended FTS5's query string early and gave a 500.
test('NUL and other control characters in any text filter never reach FTS5 as syntax', async () => {
  const db = openDb(':memory:')
  migrate(db)
  const app = createApp({ db, config: parseConfig({ database: { path: ':memory:' } }) })
  for (const value of ['%00', 'a%00b', '%00%22', '%01', '%1F%7F']) {
    for (const key of ['search', 'tagsAllOf', 'tagsOneOf', 'languageOneOf', 'host']) {
      for (const path of ['/api/v1/search/videos', '/search']) {
        const res = await app.request(`${path}?${key}=${value}`)
        assert.ok(res.status < 500, `${path}?${key}=${value} answered ${res.status}`)
      }
    }
  }
  db.close()
})
