// The documented ranking (README "Ranking", src/search/rank.ts), computed independently: for random searches over
// random corpora of videos, channels and playlists, every document's place is worked out in plain TypeScript from
// its stored columns, rule by rule (words, typos, field, language, exactness, popularity, ties), and the engine
// must return exactly that order, on every page, whatever the page size, the sort and the filters. The oracle
// takes only the words' forms from the engine (which indexed words stand for a searched word, and in which class:
// the vocabulary's business, tested in typos and stems tests); which documents contain them, which rule places
// them where, and their static rank are its own.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { addChannel, addPlaylist, addVideo, actorOf, testDb } from './seed.ts'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams } from '../../src/search/params.ts'
import { searchVideos, VIDEOS } from '../../src/search/videos.ts'
import { CHANNELS, searchChannels } from '../../src/search/channels.ts'
import { PLAYLISTS, searchPlaylists } from '../../src/search/playlists.ts'
import { analyze } from '../../src/search/forms.ts'
import { FormClass, levels, type TermGroup } from '../../src/search/rank.ts'
import { fold, parseText, words } from '../../src/search/text.ts'
import type { Kind } from '../../src/search/engine.ts'
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

/**
 * A document as the oracle sees it: its text columns as words, in the kind's field order, its sort values, and
 * whether searches list it at all (playlists without videos never are).
 */
type Doc = { id: number; key: number; language: string | null; columns: string[][]; sorts: Record<string, number | string>; listed: boolean }
/** One kind's corpus: the engine's kind, its relevance fields as column indexes, and how to ask the engine. */
type Corpus = { kind: Kind; fields: number[][]; docs: Doc[]; search: (params: Record<string, unknown>) => { total: number; ids: number[] } }

let db: Db
const corpora: Record<'videos' | 'channels' | 'playlists', Corpus> = {} as never

// NOCASE folds ASCII letters only, then compares bytes (UTF-16 order is the same for these names).
const nocase = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
const text = (...parts: (string | null)[]) => words(fold(parts.map((p) => p ?? '').join(' ')))

before(() => {
  db = testDb()
  const random = seededRandom(11)
  const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)]!
  const phrase = (min: number, max: number) => Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(VOCABULARY)).join(' ')
  // Some titles are exactly a word or two, so that the exact-title rule has work to do; names repeat.
  const title = () => {
    const t = phrase(1, 4)
    return random() < 0.5 ? t.charAt(0).toUpperCase() + t.slice(1) : t.toUpperCase()
  }
  for (let i = 0; i < 220; i++) {
    addVideo(db, {
      name: title(),
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
  for (let i = 0; i < 120; i++) {
    addChannel(db, {
      name: `${pick(VOCABULARY).replace('é', 'e')}_${i}`,
      displayName: title(),
      description: random() < 0.6 ? phrase(0, 5) : null,
      support: random() < 0.2 ? phrase(1, 2) : null,
      followersCount: Math.floor(10 ** (random() * 5)) - 1,
      owner: actorOf('tube.example.org', `owner${i % 7}`, 'accounts', random() < 0.3 ? phrase(1, 2) : `Owner ${i % 7}`),
    })
  }
  for (let i = 0; i < 120; i++) {
    addPlaylist(db, {
      displayName: title(),
      description: random() < 0.6 ? phrase(0, 5) : null,
      videosLength: random() < 0.1 ? 0 : Math.floor(10 ** (random() * 3)),
      owner: actorOf('tube.example.org', `owner${i % 7}`, 'accounts', random() < 0.3 ? phrase(1, 2) : `Owner ${i % 7}`),
      channel: random() < 0.8 ? actorOf('tube.example.org', `list${i % 5}`, 'video-channels', random() < 0.3 ? phrase(1, 2) : `List channel ${i % 5}`) : null,
      uuid: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    })
  }
  // Rule 6 as README states it, in 16ths of a point: a point per tenfold views (a like counts ten) and per four years
  // after 2000 for videos, per tenfold followers for channels, per tenfold videos for playlists.
  const rank = (points: number) => Math.floor(points * 16) * 2 ** 32
  const docs = (sql: string, doc: (r: Record<string, any>) => Doc) =>
    (db.prepare(sql).all() as Record<string, any>[]).map((r) => {
      const d = doc(r)
      assert.equal(r.key, d.key, `static rank of ${sql.slice(0, 40)} ${r.id}`)
      return d
    })
  const page = (ids: (row: any) => number) => (rows: { total: number; data: any[] }) => ({ total: rows.total, ids: rows.data.map(ids) })
  corpora.videos = {
    kind: VIDEOS,
    // Title; title, tags; those and the channel and account names; everything.
    fields: [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]],
    docs: docs('SELECT *, search_key AS key FROM videos', (r) => ({
      id: r.id,
      key: rank(Math.log10(1 + r.views + 10 * r.likes) + Math.max(0, (r.published_at - Date.UTC(2000, 0, 1)) / YEAR / 4)) + r.id,
      language: r.language_id,
      columns: [text(r.name), text(r.tags), text(r.channel_display_name, r.channel_name, r.account_display_name, r.account_name), text(r.description)],
      sorts: { views: r.views, likes: r.likes, publishedAt: r.published_at, createdAt: r.created_at, duration: r.duration, name: nocase(r.name) },
      listed: true,
    })),
    search: (params) => {
      const p = parseVideosParams({ ...params, nsfw: 'both' })
      assert.ok(p.ok, JSON.stringify(p))
      return page((v) => Number(v.uuid.slice(-12)) + 1)(searchVideos(db, p.query))
    },
  }
  corpora.channels = {
    kind: CHANNELS,
    // Display name; and the handle's name; and the owner's names; and the description (and support text).
    fields: [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]],
    docs: docs('SELECT *, search_key AS key FROM channels', (r) => ({
      id: r.id,
      key: rank(Math.log10(1 + r.followers_count)) + r.id,
      language: null,
      columns: [text(r.display_name), text(r.name), text(r.owner_display_name, r.owner_name), text(r.description, r.support)],
      sorts: { createdAt: r.created_at, displayName: nocase(r.display_name) },
      listed: true,
    })),
    search: (params) => {
      const p = parseChannelsParams(params)
      assert.ok(p.ok, JSON.stringify(p))
      const ids = new Map((db.prepare('SELECT name, id FROM channels').all() as { name: string; id: number }[]).map((c) => [c.name, c.id]))
      return page((c) => ids.get(c.name)!)(searchChannels(db, p.query))
    },
  }
  corpora.playlists = {
    kind: PLAYLISTS,
    // Display name; and the owner and channel names; and the description.
    fields: [[0], [0, 1], [0, 1, 2]],
    docs: docs('SELECT *, search_key AS key FROM playlists', (r) => ({
      id: r.id,
      key: rank(Math.log10(1 + r.videos_length)) + r.id,
      language: null,
      columns: [text(r.display_name), text(r.owner_display_name, r.owner_name, r.channel_display_name, r.channel_name), text(r.description)],
      sorts: { createdAt: r.created_at, displayName: nocase(r.display_name) },
      listed: r.videos_length > 0,
    })),
    search: (params) => {
      const p = parsePlaylistsParams(params)
      assert.ok(p.ok, JSON.stringify(p))
      return page((x) => Number(x.uuid.slice(-12)) + 1)(searchPlaylists(db, p.query))
    },
  }
})

const hasSequence = (tokens: string[], seq: string[]) => tokens.some((_, i) => seq.every((w, j) => tokens[i + j] === w))
const formIn = (d: Doc, form: string, columns: number[]) => columns.some((c) => hasSequence(d.columns[c]!, form.split(' ')))
const groupIn = (d: Doc, g: TermGroup, columns: number[], worst: FormClass) => g.forms.some((f) => f.cls <= worst && formIn(d, f.text, columns))
const allIn = (d: Doc, level: TermGroup[], columns: number[], worst: FormClass) => level.every((g) => groupIn(d, g, columns, worst))

/** What a search asks besides its words: rule 4's languages, a sort, and (videos) filters. */
type Options = { sort: string; boostLanguages?: string[]; languageOneOf?: string[]; durationMin?: number | null }

const passes = (d: Doc, o: Options) =>
  d.listed && (!o.languageOneOf?.length || o.languageOneOf.includes(d.language ?? '_unknown')) && (o.durationMin == null || Number(d.sorts.duration) >= o.durationMin)

/** The documented order of a search, and the number of matches. */
function oracle(c: Corpus, text: string, o: Options): { ids: number[]; total: number } {
  const parsed = parseText(text)
  const column = o.sort.replace(/^-/, '')
  const direction = o.sort.startsWith('-') ? -1 : 1
  const byColumn = (x: Doc, y: Doc) => {
    const a = x.sorts[column]!
    const b = y.sorts[column]!
    return (a < b ? -1 : a > b ? 1 : x.key - y.key) * direction
  }
  const anywhere = c.fields.at(-1)!
  if (!parsed.terms.length) {
    // Without words: newest first (publication for videos, creation otherwise), or the column.
    const newest = c.kind === VIDEOS ? 'publishedAt' : 'createdAt'
    const all = c.docs.filter((d) => passes(d, o)).sort(column === 'match' ? (x, y) => Number(y.sorts[newest]) - Number(x.sorts[newest]) || y.key - x.key : byColumn)
    return { ids: all.map((d) => d.id), total: all.length }
  }
  const a = analyze(db, c.kind, parsed, false)
  // Rule 1's frequencies, counted here: documents holding a word in any of its forms.
  for (const g of a.groups) if (a.groups.length > 1) assert.equal(a.df.get(g), c.docs.filter((d) => groupIn(d, g, anywhere, FormClass.typo)).length, `df of ${g.text}`)
  const lv = levels(a.required, a.df, true)
  // The searched words as typed, and with the unfinished last word completed: what an exact title or phrase is.
  const last = a.groups.at(-1)!
  const completions = parsed.terms.at(-1)!.prefix ? last.forms.filter((f) => f.cls === FormClass.exact && f.text !== last.text).map((f) => f.text) : []
  const typed = [parsed.typed, ...completions.map((w) => [...parsed.typed.slice(0, -1), w])].filter((t) => t.length > 0)
  const place = (d: Doc): number[] | null => {
    const level = lv.findIndex((l) => allIn(d, l, anywhere, FormClass.typo))
    if (level < 0) return null
    const groups = lv[level]!
    const typo = allIn(d, groups, anywhere, FormClass.variant) ? 0 : 1
    // Other sorts keep rules 1 and 2 only.
    if (column !== 'match') return [level, typo]
    const worst = typo ? FormClass.typo : FormClass.variant
    const field = c.fields.findIndex((f) => allIn(d, groups, f, worst))
    const boosted = o.boostLanguages?.includes(d.language ?? '') ? 0 : 1
    let exactness = 0
    if (!typo) {
      const title = d.columns[0]!
      if (level === 0 && field === 0 && parsed.typed.length <= 8 && typed.some((t) => t.join(' ') === title.join(' '))) exactness = 0
      else if (level === 0 && field === 0 && parsed.typed.length > 1 && typed.some((t) => hasSequence(title, t))) exactness = 1
      else exactness = allIn(d, groups, c.fields[field]!, FormClass.exact) ? 2 : 3
    }
    return [level, typo, field, boosted, exactness]
  }
  const placed = c.docs.flatMap((d) => {
    const p = place(d)
    return p && passes(d, o) ? [{ d, p }] : []
  })
  placed.sort((x, y) => {
    for (let i = 0; i < x.p.length; i++) if (x.p[i] !== y.p[i]) return x.p[i]! - y.p[i]!
    return column === 'match' ? y.d.key - x.d.key : byColumn(x.d, y.d)
  })
  return { ids: placed.map((x) => x.d.id), total: placed.length }
}

/** Every page of a search, and the totals the pages gave. */
function engine(c: Corpus, params: Record<string, unknown>, pageSize: number): { ids: number[]; totals: Set<number> } {
  const ids: number[] = []
  const totals = new Set<number>()
  for (let start = 0; ; start += pageSize) {
    const r = c.search({ ...params, start, count: pageSize })
    totals.add(r.total)
    ids.push(...r.ids)
    if (r.ids.length < pageSize) break
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
const search = fc.oneof(
  fc.tuple(fc.array(typedWord, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([ws, unfinished]) => {
    const last = ws.at(-1)!
    if (unfinished && last.length > 4) ws[ws.length - 1] = last.slice(0, 3 + (last.length % 3))
    return ws.join(' ')
  }),
  fc.constant(''),
)
const pageSize = fc.constantFrom(7, 20, 100)

function check(c: Corpus, text: string, o: Options, size: number): void {
  const expected = oracle(c, text, o)
  const got = engine(c, { search: text, ...o }, size)
  const what = `${c.kind.table} "${text}" ${JSON.stringify(o)} count=${size}`
  assert.deepEqual(got.ids, expected.ids, what)
  assert.deepEqual([...got.totals], [expected.total], `${what}: total`)
}

test('videos: every page is exactly the documented order, for any page size, sort and filter', () => {
  const options = fc.record({
    boostLanguages: fc.subarray(['en', 'fr']),
    sort: fc.constantFrom('-match', '-match', '-match', '-publishedAt', 'publishedAt', '-views', 'name', '-name', '-likes', 'duration', '-createdAt'),
    languageOneOf: fc.oneof(fc.constant<string[]>([]), fc.subarray(['en', 'fr', '_unknown'], { minLength: 1 })),
    durationMin: fc.constantFrom(null, null, 60, 61, 300),
  })
  fc.assert(fc.property(search, options, pageSize, (t, o, size) => check(corpora.videos, t, o, size)), { numRuns: 200, seed: 5, includeErrorInReport: true })
})

test('channels and playlists: every page is exactly the documented order, for any page size and sort', () => {
  const sort = fc.constantFrom('-match', '-match', 'displayName', '-displayName', '-createdAt', 'createdAt')
  fc.assert(
    fc.property(fc.constantFrom('channels' as const, 'playlists' as const), search, sort, pageSize, (kind, t, s, size) => check(corpora[kind], t, { sort: s }, size)),
    { numRuns: 200, seed: 6, includeErrorInReport: true },
  )
})
