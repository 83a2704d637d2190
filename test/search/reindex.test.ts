import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addVideo, ftsContent, testDb } from './seed.ts'
import { indexedViews, mergeIndexes } from '../../src/search/reindex.ts'

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
