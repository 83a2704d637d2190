// The judged relevance set: for each query, the documents a person means, which must come first. One corpus,
// with the traps that broke earlier rankings (a common word in hundreds of newer titles, a more popular typo
// neighbour); any change to the ranking (src/search/rank.ts) that breaks a judgement fails here.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import { addVideo, testDb } from './seed.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import type { Db } from '../../src/db/open.ts'

const YEAR = 365 * 86_400_000
const NOW = Date.UTC(2026, 0, 1)
let db: Db

before(() => {
  db = testDb()
  // 300 newer, barely viewed videos with "music" in their title, and two with "linux".
  for (let i = 0; i < 300; i++) addVideo(db, { name: `Some music for day ${i}`, views: i % 7, publishedAt: NOW - i * 86_400_000 })
  addVideo(db, { name: 'Linux news this week', views: 12, publishedAt: NOW - 86_400_000 })
  addVideo(db, { name: 'Why I left Linux for a day', views: 3, publishedAt: NOW - 2 * 86_400_000 })
  // Old and popular: exactly the query, or a popular video among the "music" titles.
  addVideo(db, { name: 'Music', views: 480_000, publishedAt: NOW - 7 * YEAR })
  addVideo(db, { name: 'Music from the mountains', views: 250_000, publishedAt: NOW - 6 * YEAR })
  addVideo(db, { name: 'Linux', views: 900, publishedAt: NOW - 5 * YEAR })
  // Plurals and inflections.
  addVideo(db, { name: 'Blender tutorial for beginners', views: 5000 })
  addVideo(db, { name: 'Modelling tutorials', views: 10 })
  addVideo(db, { name: 'Musique de chambre', views: 30, language: { id: 'fr', label: 'French' } })
  addVideo(db, { name: 'Canciones de cuna', views: 30, language: { id: 'es', label: 'Spanish' } })
  // Accents both ways.
  addVideo(db, { name: 'Café philosophique', views: 5 })
  addVideo(db, { name: 'Ecole de musique', views: 5 })
  // Typos: a popular word, and a rare exact word one edit from it.
  addVideo(db, { name: 'Minecraft speedrun world record', views: 90_000 })
  addVideo(db, { name: 'Linnux, a distribution made in a garage', views: 2 })
  addVideo(db, { name: 'Linux kernel explained', views: 70_000 })
  // The last word typed in full, with a longer and more popular word that it also begins.
  addVideo(db, { name: 'Linux kernels compared', views: 200_000 })
  addVideo(db, { name: 'Linux kernel', views: 50 })
  // Split and joined words.
  addVideo(db, { name: 'PeerTube 7 is out', views: 800 })
  addVideo(db, { name: 'Our live stream setup', views: 40 })
  // Description-only match of a title word elsewhere.
  addVideo(db, { name: 'Holiday photos', description: 'A minecraft castle we built', views: 1_000_000 })
})

function top(params: Record<string, unknown>, n = 5): string[] {
  const p = parseVideosParams(params)
  assert.ok(p.ok)
  return searchVideos(db, p.query).data.slice(0, n).map((v) => v.name)
}

const judgements: { query: string; first: string[]; why: string }[] = [
  { query: 'music', first: ['Music'], why: 'a title exactly the query beats 300 newer titles containing it' },
  { query: 'linux', first: ['Linux'], why: 'exact title first, whatever the views of others' },
  { query: 'music mountains', first: ['Music from the mountains'], why: 'all the words in the title' },
  { query: 'tutorials', first: ['Modelling tutorials', 'Blender tutorial for beginners'], why: 'exact form, then the singular' },
  { query: 'tutorial', first: ['Blender tutorial for beginners', 'Modelling tutorials'], why: 'exact form, then the plural' },
  { query: 'musiques', first: ['Musique de chambre'], why: 'a French plural finds the singular' },
  { query: 'cancion', first: ['Canciones de cuna'], why: 'a Spanish singular finds the plural' },
  { query: 'cafe', first: ['Café philosophique'], why: 'accents ignored' },
  { query: 'école', first: ['Ecole de musique'], why: 'accents ignored the other way' },
  { query: 'mincraft', first: ['Minecraft speedrun world record'], why: 'a missing letter' },
  { query: 'minecarft', first: ['Minecraft speedrun world record'], why: 'two letters swapped' },
  { query: 'linnux', first: ['Linnux, a distribution made in a garage'], why: 'exact beats a more popular typo neighbour' },
  { query: 'peer tube', first: ['PeerTube 7 is out'], why: 'a split word finds the joined one' },
  { query: 'livestream', first: ['Our live stream setup'], why: 'a joined word finds the split one' },
  { query: 'linux kernel', first: ['Linux kernel', 'Linux kernels compared'], why: 'the exact title as typed, though "kernel" could be unfinished' },
  { query: 'minecraft', first: ['Minecraft speedrun world record', 'Holiday photos'], why: 'title before description, even against a million views' },
]

for (const j of judgements) {
  test(`judged: "${j.query}" → ${j.first.join(', ')} (${j.why})`, () => {
    assert.deepEqual(top({ search: j.query }, j.first.length), j.first)
  })
}

test('judged: among titles containing a common word, popularity ranks (the old popular video is on the first page)', () => {
  const page = top({ search: 'music' }, 3)
  assert.deepEqual(page.slice(0, 2), ['Music', 'Music from the mountains'])
})

test('judged: typo neighbours still come after every exact match', () => {
  const all = top({ search: 'linnux', count: 10 }, 10)
  assert.equal(all[0], 'Linnux, a distribution made in a garage')
  assert.ok(all.includes('Linux kernel explained'), 'the neighbour is found too')
})
