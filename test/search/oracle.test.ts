// The documented ranking (README "Ranking", src/search/rank.ts), computed independently: for random searches over
// a random corpus, every document's place is worked out in plain TypeScript from its stored columns, rule by rule
// (words, typos, field, language, exactness, popularity, ties), and the engine must return exactly that order, on
// every page, whatever the page size. The oracle takes only the words' forms from the engine (which indexed words
// stand for a searched word, and in which class: the vocabulary's business, tested in forms/typos/stems tests);
// which documents contain them, which rule places them where, and their static rank are its own.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { addVideo, actorOf, testDb } from './seed.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos, VIDEOS } from '../../src/search/videos.ts'
import { analyze } from '../../src/search/forms.ts'
import { FormClass, levels, type TermGroup } from '../../src/search/rank.ts'
import { fold, parseText, words } from '../../src/search/text.ts'
import { seededRandom } from '../fake/random.ts'
import type { Db } from '../../src/db/open.ts'

// Words with plurals, inflections, typo neighbours, split and joined spellings, accents and a very common word.
const VOCABULARY = [
  'linux', 'linnux', 'kernel', 'kernels', 'music', 'musical', 'musique', 'musiques', 'tutorial', 'tutorials', 'live',
  'stream', 'livestream', 'streams', 'peertube', 'peer', 'tube', 'minecraft', 'cafe', 'café', 'garden', 'gardening',
  'guitar', 'guitars', 'the', 'of', 'blender', 'photo', 'photography', 'photographie', 'record', 'records', 'world',
]
const LANGUAGES = ['en', 'fr', 'de', null]
const YEAR = 365.25 * 86_400_000

type Doc = { id: number; key: number; language: string | null; columns: string[][]; sorts: Record<string, number | string> }
let db: Db
let docs: Doc[]

before(() => {
  db = testDb()
  const random = seededRandom(11)
  const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)]!
  const phrase = (min: number, max: number) => Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(VOCABULARY)).join(' ')
  for (let i = 0; i < 220; i++) {
    const title = phrase(1, 4)
    addVideo(db, {
      // Some titles are exactly a word or two, so that the exact-title rule has work to do; names repeat.
      name: random() < 0.5 ? title.charAt(0).toUpperCase() + title.slice(1) : title.toUpperCase(),
      tags: random() < 0.6 ? Array.from({ length: 1 + Math.floor(random() * 2) }, () => phrase(1, 2)) : [],
      description: random() < 0.7 ? phrase(0, 6) : null,
      channel: actorOf('tube.example.org', `chan${i % 9}`, 'video-channels', random() < 0.3 ? phrase(1, 2) : `Channel ${i % 9}`),
      language: { id: pick(LANGUAGES), label: null },
      views: Math.floor(10 ** (random() * 6)) - 1,
      likes: random() < 0.3 ? Math.floor(random() * 50) : 0,
      publishedAt: Date.UTC(2010, 0, 1) + Math.floor(random() * 15 * YEAR),
      duration: pick([10, 60, 60, 300, 301, 3600]),
      uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    })
  }
  const rows = db.prepare(`SELECT id, search_key AS key, views, likes, published_at AS published, created_at AS created, duration, language_id AS language, name, tags,
    search_names AS names, coalesce(description, '') AS description FROM videos`).all() as Record<string, any>[]
  docs = rows.map((r) => {
    // Rule 6 as README states it: a point per tenfold views (a like counts ten), a point per four years after 2000, in 16ths.
    const points = Math.log10(1 + r.views + 10 * r.likes) + Math.max(0, (r.published - Date.UTC(2000, 0, 1)) / YEAR / 4)
    assert.equal(r.key, Math.floor(points * 16) * 2 ** 32 + r.id, `static rank of ${r.id}`)
    // NOCASE folds ASCII letters only, then compares bytes (UTF-16 order is the same for these names).
    const sorts = { views: r.views, likes: r.likes, publishedAt: r.published, createdAt: r.created, duration: r.duration, name: r.name.replace(/[A-Z]/g, (c: string) => c.toLowerCase()) }
    return { id: r.id, key: r.key, language: r.language, columns: [r.name, r.tags, r.names, r.description].map((c: string) => words(fold(c))), sorts }
  })
})

// The relevance fields of videos, best first: title; title, tags; those and the names; everything.
const FIELDS = [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]

const hasSequence = (tokens: string[], seq: string[]) => tokens.some((_, i) => seq.every((w, j) => tokens[i + j] === w))
const formIn = (d: Doc, form: string, columns: number[]) => columns.some((c) => hasSequence(d.columns[c]!, form.split(' ')))
const groupIn = (d: Doc, g: TermGroup, columns: number[], worst: FormClass) => g.forms.some((f) => f.cls <= worst && formIn(d, f.text, columns))
const allIn = (d: Doc, level: TermGroup[], columns: number[], worst: FormClass) => level.every((g) => groupIn(d, g, columns, worst))

/** What a search asks besides its words: rule 4's languages, a sort, and filters. */
type Options = { boostLanguages: string[]; sort: string; languageOneOf: string[]; durationMin: number | null }

const passes = (d: Doc, o: Options) =>
  (o.languageOneOf.length === 0 || o.languageOneOf.includes(d.language ?? '_unknown')) && (o.durationMin === null || Number(d.sorts.duration) >= o.durationMin)

/** The documented order of a search, and the number of matches. */
function oracle(text: string, o: Options): { ids: number[]; total: number } {
  const parsed = parseText(text)
  const column = o.sort.replace(/^-/, '')
  const direction = o.sort.startsWith('-') ? -1 : 1
  const byColumn = (x: Doc, y: Doc) => {
    const a = x.sorts[column]!
    const b = y.sorts[column]!
    return (a < b ? -1 : a > b ? 1 : x.key - y.key) * direction
  }
  if (!parsed.terms.length) {
    const all = docs.filter((d) => passes(d, o)).sort(column === 'match' ? (x, y) => Number(y.sorts.publishedAt) - Number(x.sorts.publishedAt) || y.key - x.key : byColumn)
    return { ids: all.map((d) => d.id), total: all.length }
  }
  const a = analyze(db, VIDEOS, parsed, false)
  // Rule 1's frequencies, counted here: documents holding a word in any of its forms.
  for (const g of a.groups) if (a.groups.length > 1) assert.equal(a.df.get(g), docs.filter((d) => groupIn(d, g, FIELDS[3]!, FormClass.typo)).length, `df of ${g.text}`)
  const lv = levels(a.required, a.df, true)
  // The searched words as typed, and with the unfinished last word completed: what an exact title or phrase is.
  const last = a.groups.at(-1)!
  const completions = parsed.terms.at(-1)!.prefix ? last.forms.filter((f) => f.cls === FormClass.exact && f.text !== last.text).map((f) => f.text) : []
  const typed = [parsed.typed, ...completions.map((c) => [...parsed.typed.slice(0, -1), c])].filter((t) => t.length > 0)
  const place = (d: Doc): number[] | null => {
    const level = lv.findIndex((l) => allIn(d, l, FIELDS[3]!, FormClass.typo))
    if (level < 0) return null
    const groups = lv[level]!
    const typo = allIn(d, groups, FIELDS[3]!, FormClass.variant) ? 0 : 1
    // Other sorts keep rules 1 and 2 only.
    if (column !== 'match') return [level, typo]
    const worst = typo ? FormClass.typo : FormClass.variant
    const field = FIELDS.findIndex((f) => allIn(d, groups, f, worst))
    const boosted = o.boostLanguages.includes(d.language ?? '') ? 0 : 1
    let exactness = 0
    if (!typo) {
      const title = d.columns[0]!
      if (level === 0 && field === 0 && parsed.typed.length <= 8 && typed.some((t) => t.join(' ') === title.join(' '))) exactness = 0
      else if (level === 0 && field === 0 && parsed.typed.length > 1 && typed.some((t) => hasSequence(title, t))) exactness = 1
      else exactness = allIn(d, groups, FIELDS[field]!, FormClass.exact) ? 2 : 3
    }
    return [level, typo, field, boosted, exactness]
  }
  const placed = docs.flatMap((d) => {
    const p = place(d)
    return p && passes(d, o) ? [{ d, p }] : []
  })
  placed.sort((x, y) => {
    for (let i = 0; i < x.p.length; i++) if (x.p[i] !== y.p[i]) return x.p[i]! - y.p[i]!
    return column === 'match' ? y.d.key - x.d.key : byColumn(x.d, y.d)
  })
  return { ids: placed.map((x) => x.d.id), total: placed.length }
}

function engine(params: Record<string, unknown>, pageSize: number): { ids: number[]; totals: Set<number> } {
  const p = parseVideosParams({ ...params, nsfw: 'both', count: pageSize })
  assert.ok(p.ok, JSON.stringify(p))
  const ids: number[] = []
  const totals = new Set<number>()
  for (let start = 0; ; start += pageSize) {
    const r = searchVideos(db, { ...p.query, start })
    totals.add(r.total)
    ids.push(...r.data.map((v) => Number(v.uuid.slice(-12)) + 1))
    if (r.data.length < pageSize) break
  }
  return { ids, totals }
}

// A searched word: one of the vocabulary, maybe with a typo, maybe unfinished, or a word found nowhere.
const typedWord = fc.tuple(fc.constantFrom(...VOCABULARY, 'zebra'), fc.integer({ min: 0, max: 9 }), fc.nat()).map(([w, how, at]) => {
  const c = [...w]
  const i = at % c.length
  if (how === 0 && c.length > 4) c.splice(i, 1)
  else if (how === 1 && i + 1 < c.length) [c[i], c[i + 1]] = [c[i + 1]!, c[i]!]
  else if (how === 2) c.splice(i, 0, c[i]!)
  return c.join('')
})
const search = fc.tuple(fc.array(typedWord, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([ws, unfinished]) => {
  const last = ws.at(-1)!
  if (unfinished && last.length > 4) ws[ws.length - 1] = last.slice(0, 3 + (last.length % 3))
  return ws.join(' ')
})

const options = fc.record({
  boostLanguages: fc.subarray(['en', 'fr']),
  sort: fc.constantFrom('-match', '-match', '-match', '-publishedAt', 'publishedAt', '-views', 'name', '-name', '-likes', 'duration', '-createdAt'),
  languageOneOf: fc.oneof(fc.constant<string[]>([]), fc.subarray(['en', 'fr', '_unknown'], { minLength: 1 })),
  durationMin: fc.constantFrom(null, null, 60, 61, 300),
})

test('every page is exactly the documented order, computed independently, for any page size, sort and filter', () => {
  fc.assert(
    fc.property(fc.oneof(search, fc.constant('')), options, fc.constantFrom(7, 20, 100), (text, o, pageSize) => {
      const expected = oracle(text, o)
      const got = engine({ search: text, ...o }, pageSize)
      const what = `"${text}" ${JSON.stringify(o)} count=${pageSize}`
      assert.deepEqual(got.ids, expected.ids, what)
      assert.deepEqual([...got.totals], [expected.total], `${what}: total`)
    }),
    { numRuns: 250, seed: 5, includeErrorInReport: true },
  )
})
