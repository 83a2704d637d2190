// Word forms: what a connection remembers of a search's words, and for how long.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setImmediate as tick } from 'node:timers/promises'
import { addVideo, testDb } from './seed.ts'
import { parseChannelsParams, parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import { searchChannels } from '../../src/search/channels.ts'
import { rememberedText } from '../../src/search/forms.ts'
import type { Db } from '../../src/db/open.ts'

const names = (db: Db, search: string) => {
  const p = parseVideosParams({ search })
  assert.ok(p.ok)
  return searchVideos(db, p.query).data.map((v) => v.name)
}

test('the forms of a text are remembered within one task only, and not past a change of the vocabulary', async () => {
  const db = testDb()
  addVideo(db, { name: 'Compiling the kernel' })
  // One synchronous task, as a results page's three searches: the second search of "kernl" must see the word the
  // write between them added to the vocabulary.
  assert.deepEqual(names(db, 'gardning'), [])
  addVideo(db, { name: 'Gardening at home' })
  assert.deepEqual(names(db, 'gardning'), ['Gardening at home'])
  assert.deepEqual(names(db, 'kernl'), ['Compiling the kernel'])
  const channels = parseChannelsParams({ search: 'kernl' })
  assert.ok(channels.ok)
  searchChannels(db, channels.query)
  assert.notEqual(rememberedText(db), null)
  // Once the task is over, nothing of the search is left.
  await tick()
  assert.equal(rememberedText(db), null)
})
