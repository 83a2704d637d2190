import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { allowedEdits, editDistance, lookupKeys, typoKeys } from '../../src/search/typos.ts'
import { typoCandidates } from '../../src/search/forms.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import { addVideo, testDb } from './seed.ts'

test('edit distance counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
  assert.equal(editDistance('linux', 'linux', 2), 0)
  assert.equal(editDistance('linnux', 'linux', 2), 1)
  assert.equal(editDistance('linx', 'linux', 2), 1)
  assert.equal(editDistance('lunix', 'linux', 2), 2)
  assert.equal(editDistance('linxu', 'linux', 2), 1)
  assert.equal(editDistance('minecraft', 'mincraft', 2), 1)
  assert.equal(editDistance('kitten', 'sitting', 5), 3)
  assert.equal(editDistance('kitten', 'sitting', 1), 2, 'past max, max + 1')
  assert.equal(editDistance('ñandu', 'nandu', 1), 1, 'code points, not bytes')
})

test('typos are tolerated from 5 letters (one) and 9 letters (two), never in words with digits', () => {
  assert.equal(allowedEdits('linx'), 0)
  assert.equal(allowedEdits('linux'), 1)
  assert.equal(allowedEdits('minecraft'), 2)
  assert.equal(allowedEdits('ubuntu2204'), 0)
  assert.equal(allowedEdits('h264x'), 0)
  assert.deepEqual(lookupKeys('linx'), [])
  assert.deepEqual(typoKeys('abc'), [], 'indexed words under 4 letters are never typo targets')
})

const word = fc.stringMatching(/^[a-zé]{5,14}$/)
const edit = (w: string, kind: number, at: number, ch: string) => {
  const c = [...w]
  const i = at % c.length
  if (kind === 0) c.splice(i, 0, ch)
  else if (kind === 1) c.splice(i, 1)
  else if (kind === 2) c[i] = ch
  else if (i + 1 < c.length) [c[i], c[i + 1]] = [c[i + 1]!, c[i]!]
  return c.join('')
}

test('a word one edit away from an indexed word always shares a key with it', () => {
  fc.assert(
    fc.property(word, fc.integer({ min: 0, max: 3 }), fc.nat(), fc.constantFrom('a', 'z', 'é', 'q'), (indexed, kind, at, ch) => {
      const typed = edit(indexed, kind, at, ch)
      fc.pre(allowedEdits(typed) > 0 && editDistance(typed, indexed, 1) === 1)
      const keys = new Set(typoKeys(indexed))
      assert.ok(lookupKeys(typed).some((k) => keys.has(k)), `${typed} -> ${indexed}`)
    }),
    { numRuns: 2000 },
  )
})

test('two edits in a long word are found when at most one of them needs a deletion on the indexed side', () => {
  // Two letters too many, or one too many and one missing: found.
  const indexed = 'photography'
  for (const typed of ['phottography', 'photograaphyy', 'photograpy', 'hotograpphy']) {
    const keys = new Set(typoKeys(indexed))
    assert.ok(lookupKeys(typed).some((k) => keys.has(k)), typed)
    assert.ok(editDistance(typed, indexed, 2) <= 2, typed)
  }
})

test('a vocabulary flooded with words one letter from "music" bounds what a search for it reads, and typos still work', () => {
  const db = testDb()
  addVideo(db, { name: 'Music lessons' })
  addVideo(db, { name: 'Musik aus Berlin' })
  // What an instance's titles can hold: thousands of distinct words sharing the typo key "music".
  const add = db.prepare('INSERT OR IGNORE INTO search_terms (term, n) VALUES (?, 1)')
  db.transaction(() => {
    for (let cp = 0x4e00; cp < 0x4e00 + 600; cp++) for (let i = 1; i < 5; i++) add.run(`mu${'sic'.slice(0, i - 1)}${String.fromCodePoint(cp)}${'sic'.slice(i - 1)}`)
  })()
  assert.ok((db.prepare(`SELECT count(*) AS n FROM search_typo_keys WHERE key = 'music'`).get() as { n: number }).n >= 2400)
  const read = typoCandidates(db, 'music')
  assert.ok(read.length <= 64 * lookupKeys('music').length, `${read.length} candidates read`)
  assert.ok(read.includes('musik'), 'honest neighbours are read first')
  const p = parseVideosParams({ search: 'musci' })
  assert.ok(p.ok)
  assert.deepEqual(searchVideos(db, p.query).data.map((v) => v.name), ['Music lessons'])
})
