// A search that would be expensive (a single letter, a word in every title, a deep page, a sort over every
// match) is bounded in work rather than starving other requests. Work is measured without a clock: as the
// database pages the search reads (read system calls of this process, with a cold page cache), compared with the
// size of the index and with a naive query that ranks every match.
import { before, after, test } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, type Db } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import { MAX_TOTAL } from '../../src/search/engine.ts'
import { seededRandom } from '../fake/random.ts'

const ROWS = 40_000
const SMALL = 10_000
const canMeasure = existsSync('/proc/self/io')
let dir: string
const paths = { small: '', big: '' }
let totalPages: number

/** Read system calls made by this process so far (each is one database page here: no mmap, a cold cache). */
const reads = () => Number(/syscr: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1])

// Writes videos with plain inserts in one transaction (the triggers of the real schema index them): every title
// holds "the", one in a hundred the lone letter "k", the rest words of a skewed vocabulary. The returned
// function adds rows `from` to `to`, so that the big index is the small one and more.
function videoMaker(): (db: Db, from: number, to: number) => void {
  const random = seededRandom(0x5ea5c4)
  const syllables = ['ka', 'ri', 'to', 'na', 'me', 'lo', 'su', 'vi', 'ne', 'ta', 'po', 'ra', 'de', 'mi', 'ko', 'an', 'el', 'or', 'un', 'is']
  const vocabulary = Array.from({ length: 5000 }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join(''))
  const word = () => vocabulary[Math.floor(random() ** 2 * vocabulary.length)]!
  return (db, from, to) => {
    db.prepare(`INSERT OR IGNORE INTO instances (id, host, in_list, created_at) VALUES (1, 'big.example', 1, 0)`).run()
    const insert = db.prepare(`INSERT INTO videos (instance_id, uuid, short_uuid, remote_id, url, name, description, tags, language_id, views,
      duration, created_at, updated_at, published_at, account_name, account_display_name, account_host, account_url, channel_name,
      channel_display_name, channel_host, channel_url, seen_at)
      VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'acc', 'Account', 'big.example', 'https://big.example/a/acc', 'chan', 'Channel',
      'big.example', 'https://big.example/c/chan', 0)`)
    db.transaction(() => {
      for (let i = from; i < to; i++) {
        const at = Date.parse('2020-01-01T00:00:00Z') + i * 600_000
        const name = `${i % 100 === 0 ? 'k ' : ''}the ${word()} ${word()} ${word()}`
        insert.run(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, `short${i}`, i, `https://big.example/w/${i}`, name, `${word()} ${word()}`,
          JSON.stringify([word()]), i % 3 ? 'en' : 'fr', Math.floor(random() * 100_000), Math.floor(random() * 3600), at, at, at)
      }
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sepia-big-'))
  paths.small = join(dir, 'small.db')
  paths.big = join(dir, 'big.db')
  const add = videoMaker()
  const small = openDb(paths.small)
  migrate(small)
  add(small, 0, SMALL)
  small.close()
  copyFileSync(paths.small, paths.big)
  const big = openDb(paths.big)
  add(big, SMALL, ROWS)
  totalPages = big.pragma('page_count', { simple: true }) as number
  big.close()
})
after(() => rmSync(dir, { recursive: true, force: true }))

/** Runs one search on a fresh connection (cold cache, schema already loaded) and counts the pages it read. */
function measured<T>(run: (db: Db) => T, size: keyof typeof paths = 'big'): { result: T; pages: number } {
  const db = openDb(paths[size], { readonly: true })
  try {
    // Pages are counted as read system calls: without the memory map openDb sets, each page read is one.
    db.pragma('mmap_size = 0')
    db.prepare('SELECT count(*) FROM sqlite_schema').get() // the schema, read by any first statement
    const before = reads()
    const result = run(db)
    return { result, pages: reads() - before }
  } finally {
    db.close()
  }
}

const search = (params: Record<string, string>) => (db: Db) => {
  const parsed = parseVideosParams(params)
  assert.ok(parsed.ok, JSON.stringify(params))
  return searchVideos(db, parsed.query)
}

const NAIVE = `SELECT rowid FROM videos_fts WHERE videos_fts MATCH 'the' ORDER BY rank LIMIT 20`

test('expensive searches: a word in every title, a single letter, a short prefix, sorts and filters do not grow with the index', { skip: !canMeasure && 'needs /proc/self/io' }, () => {
  // The control: ranking every match of the common word with bm25, as a naive engine would, reads pages in
  // proportion to the index (4 times the rows, over 3 times the pages), which shows the measure measures work.
  const naive = { small: measured((db) => db.prepare(NAIVE).all(), 'small'), big: measured((db) => db.prepare(NAIVE).all()) }
  assert.equal(naive.big.result.length, 20)
  assert.ok(naive.big.pages > 3 * naive.small.pages, `the naive ranking reads ${naive.small.pages} then ${naive.big.pages} pages`)

  const every = measured(search({ search: 'the' }))
  assert.equal(every.result.total, MAX_TOTAL, 'a word in every title: the total is capped, not counted to the end')
  assert.equal(every.result.data.length, 20)
  for (const v of every.result.data) assert.match(v.name, /\bthe\b/)

  const letter = measured(search({ search: 'k' }))
  assert.equal(letter.result.total, ROWS / 100, 'a single letter is a word, not a prefix of everything')
  for (const v of letter.result.data) assert.match(v.name, /^k the /)

  const prefix = measured(search({ search: 'kar' }))
  assert.ok(prefix.result.total > 0)
  for (const v of prefix.result.data) assert.match(`${v.name} ${v.description}`, /\bkar/, 'a short prefix expands to a few completions')

  const cases: Record<string, Record<string, string>> = {
    'the word in every title': { search: 'the' },
    'a single letter': { search: 'k' },
    'a short prefix': { search: 'kar' },
    'sorted by views': { search: 'the', sort: '-views' },
    'sorted by name, filtered by language': { search: 'the', sort: 'name', languageOneOf: 'fr' },
    'sorted by duration, with a range': { search: 'the', sort: '-duration', durationMin: '600' },
    'browsing everything, newest first': { sort: '-publishedAt', count: '100' },
  }
  for (const [what, params] of Object.entries(cases)) {
    const small = measured(search(params), 'small').pages
    const big = measured(search(params)).pages
    assert.ok(big < totalPages / 20, `${what}: ${big} pages read of ${totalPages}`)
    // Four times the index, well under four times the work (B-tree depth and counts up to the cap grow a little).
    assert.ok(big <= 2.5 * small, `${what}: ${small} pages read at ${SMALL} videos, ${big} at ${ROWS}`)
  }
})

test('expensive searches: the deepest page is bounded by the total cap, and past it nothing is searched', { skip: !canMeasure && 'needs /proc/self/io' }, () => {
  const deep = measured(search({ search: 'the', start: String(MAX_TOTAL - 20) }))
  assert.equal(deep.result.data.length, 20)
  assert.ok(deep.pages < totalPages / 2, `the deepest page reads ${deep.pages} of ${totalPages} pages`)
  const beyond = measured(search({ search: 'the', start: String(MAX_TOTAL + 5000) }))
  assert.equal(beyond.result.data.length, 0)
  assert.ok(beyond.pages < deep.pages / 2, `past the cap: ${beyond.pages} pages`)
})
