import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addVideo, ftsContent, testDb } from './seed.ts'
import { INDEX_VERSION, indexedViews, mergeIndexes, refreshIndexes } from '../../src/search/reindex.ts'
import { migrate } from '../../src/db/migrate.ts'

test('merging the indexes between writes leaves fewer segments and exactly the same content', () => {
  const db = testDb()
  // One transaction per video, as crawl pages commit: each leaves a segment behind.
  for (let i = 0; i < 60; i++) addVideo(db, { name: `Video number ${i}`, description: `words ${i % 7}` })
  const segments = () => (db.prepare('SELECT count(DISTINCT segid) AS n FROM videos_fts_idx').get() as { n: number }).n
  const before = segments()
  const content = indexedViews(db).map(({ fts }) => ftsContent(db, fts))
  assert.ok(before > 2, `${before} segments`)
  let rounds = 0
  while (mergeIndexes(db, 16)) rounds++
  assert.ok(rounds > 0)
  assert.equal(segments(), 1)
  assert.deepEqual(indexedViews(db).map(({ fts }) => ftsContent(db, fts)), content)
  assert.equal(mergeIndexes(db, 16), false, 'nothing left to merge')
})

test('indexes built by another version of the index code are rebuilt when the database is migrated', () => {
  const db = testDb()
  addVideo(db, { name: 'Kept video' })
  const content = indexedViews(db).map(({ fts }) => ftsContent(db, fts))
  assert.equal(refreshIndexes(db), false, 'up to date after migrating')
  // As an older release would have left it: stale content and an older version.
  db.exec(`INSERT INTO videos_fts (videos_fts) VALUES ('delete-all'); UPDATE search_index SET version = version - 1`)
  migrate(db)
  assert.deepEqual(indexedViews(db).map(({ fts }) => ftsContent(db, fts)), content)
  assert.equal((db.prepare('SELECT version FROM search_index').get() as { version: number }).version, INDEX_VERSION)
})
