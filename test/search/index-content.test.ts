// What each index holds is defined once, by its view (migrations/0006); the update triggers only fire when a
// column the views read changes. This checks, column by column, that an edit leaves every index exactly as a
// rebuild from the views would make it: a column missing from a trigger's WHEN would leave the index stale.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addChannel, addPlaylist, addVideo, ftsContent, testDb } from './seed.ts'
import { indexedViews, reindex } from '../../src/search/reindex.ts'
import type { Db } from '../../src/db/open.ts'

// A different value of the same type for any column of these tables.
function changed(column: string, value: unknown): unknown {
  if (column.endsWith('_at')) return (Number(value) || 0) + 400 * 86_400_000
  if (column === 'tags') return '["changed tag","other"]'
  if (column.endsWith('avatars') || column === 'banners') return '[]'
  if (column === 'language_id') return value === 'fr' ? 'de' : 'fr'
  if (typeof value === 'number') return value * 1000 + 7
  if (value === null) return column.endsWith('_id') ? 3 : 'now set'
  return `${value} changed words`
}

function snapshot(db: Db): string[] {
  return indexedViews(db).map(({ fts }) => ftsContent(db, fts))
}

for (const table of ['videos', 'channels', 'playlists'] as const) {
  test(`every column of ${table}: an edit keeps the indexes exactly as a rebuild would make them`, () => {
    const db = testDb()
    addVideo(db, { name: 'First video', description: 'about things', tags: ['one'], language: { id: 'en', label: 'English' }, views: 10 })
    addVideo(db, { name: 'Second video', views: 20 })
    addChannel(db, { name: 'chan', displayName: 'A channel', description: 'channel words' })
    addPlaylist(db, { displayName: 'A playlist', description: 'playlist words' })
    const columns = (db.prepare(`SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0`).all(table) as { name: string }[])
      .map((c) => c.name)
      .filter((c) => !['id', 'instance_id', 'uuid', 'short_uuid'].includes(c))
    assert.ok(columns.length > 10)
    for (const column of columns) {
      const row = db.prepare(`SELECT id, ${column} AS v FROM ${table} LIMIT 1`).get() as { id: number; v: unknown }
      db.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`).run(changed(column, row.v), row.id)
      const incremental = snapshot(db)
      const words = db.prepare('SELECT term FROM search_terms').pluck().all() as string[]
      reindex(db)
      assert.deepEqual(incremental, snapshot(db), `${table}.${column}`)
      // The vocabulary may keep words no longer indexed, but never misses one.
      const rebuilt = db.prepare('SELECT term FROM search_terms').pluck().all() as string[]
      const known = new Set(words)
      assert.deepEqual(rebuilt.filter((w) => !known.has(w)), [], `vocabulary after ${table}.${column}`)
    }
  })
}
