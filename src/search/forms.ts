// From the words of a search to what the engine looks for: each searched word becomes a group of indexed words
// ("forms") in the classes of rank.ts: the word itself and, for an unfinished last word, its most frequent
// completions (exact); the words sharing one of its stems, a split or joined spelling (variants); the words one or
// two edits away (typos). Every candidate comes from the vocabulary tables the index triggers keep (search_terms,
// search_stems, search_typo_keys; see migrations/0006), so nothing here scans the index.
import type { Db } from '../db/open.ts'
import { prepared } from '../db/prepared.ts'
import { NO_RESTRICTIONS, cappedCount, dataVersion, matchDensity, type Kind } from './engine.ts'
import { exactTitleToken } from './facets.ts'
import { FormClass, type Form, type TermGroup } from './rank.ts'
import { stemsOf, stemmable } from './stems.ts'
import { ftsToken, type ParsedText } from './text.ts'
import { allowedEdits, editDistance, lookupKeys } from './typos.ts'

// A last word that the vocabulary has seen less often than this is taken as unfinished and expanded to its
// completions; a common word ("music") is taken as typed, which also keeps its search cheap. The vocabulary's
// counts are sampled (one in 16 writes, see migration 0006): 2 means roughly 16 rows or more.
const PREFIX_SEEN = 2
// Completions, stems and typos kept per word (the most frequent): each is one more list in every expression.
const MAX_COMPLETIONS = 8
const MAX_VARIANTS = 6
const MAX_TYPOS = 6
// Completions are picked among this many vocabulary words with the prefix (in index order).
const COMPLETION_SCAN = 2000
// A word is split into two indexed words only from this length, each part at least this long.
const SPLIT_MIN = 6
const SPLIT_PART = 3
// Vocabulary words read per typo key, and in all. An honest key is shared by a few dozen words at most (19 in the
// 20,000-video benchmark index), but the vocabulary is written by instances: titles holding thousands of words one
// letter away from "music" ("mu中sic", "muxsic"...) would otherwise make every search for "music" read and compare
// them all (1.2 s for 150,000 such words).
const TYPO_KEY_WORDS = 64
const TYPO_CANDIDATES = 1000
// Document frequencies are only compared, so counting stops here.
const DF_CAP = 5000
// A word in more than this share of a big index (at least DF_CAP documents) restricts nothing worth its cost.
const STOP_DENSITY = 0.25

/** A search analysed: its groups, those that restrict matches, their frequencies, and the rule-5 expressions. */
export type Analysis = {
  groups: TermGroup[]
  /** The groups a match must contain (very common words left out). */
  required: TermGroup[]
  /** Documents containing each group (any form), counted up to DF_CAP; 1 for a single group (never compared). */
  df: Map<TermGroup, number>
  /** Exact-title tokens (facets.ts) of the words as typed, and with each completion of an unfinished last word. */
  exactTitle: string[]
  /** The words as typed, and with each completion of the last word, as FTS5 phrases; empty for one word. */
  phrases: string[]
}

/** One group as FTS5, its forms up to class `worst`: `"word"` or `("word" OR "words" OR "peer tube")`. */
export function groupExpr(g: TermGroup, worst: FormClass): string {
  const forms = g.forms.filter((f) => f.cls <= worst).map((f) => formToken(f.text))
  return forms.length === 1 ? forms[0]! : `(${forms.join(' OR ')})`
}

// A form is a word or, for a split word, two words: an FTS5 phrase either way.
const formToken = (text: string) => ftsToken(text)

/** All groups, within some columns: `{name tags}: ("a" AND ("b" OR "bs"))`. */
export function allExpr(groups: TermGroup[], columns: string[], worst: FormClass): string {
  return `{${columns.join(' ')}}: (${groups.map((g) => groupExpr(g, worst)).join(' AND ')})`
}

/**
 * Analyses a parsed search for one kind. `identifier`: the text names an object (uuid, handle, URL): its words are
 * matched as typed, never completed, nor as stems, typos or split words.
 */
export function analyze(db: Db, kind: Kind, parsed: ParsedText, identifier: boolean): Analysis {
  const { groups, completed } = wordForms(db, parsed, identifier)
  // Frequencies only decide between words (rank.ts levels, and the very common words below).
  const df = new Map(groups.map((g) => [g, groups.length > 1 ? count(db, kind, [g], DF_CAP) : 1]))
  // A word in most documents barely narrows the matches while costing a seek in its huge list per match.
  let required = groups
  if (groups.length > 1) {
    const kept = groups.filter((g) => df.get(g)! < DF_CAP || matchDensity(db, kind, { fts: kind.fts, expr: allExpr([g], kind.textColumns, FormClass.typo) }, NO_RESTRICTIONS) <= STOP_DENSITY)
    required = kept.length ? kept : groups
  }
  // The word as typed is an ending too: completions never include it, and a title exactly "Linux kernel" must not
  // lose its exact-title and phrase places to "Linux kernels" because "kernel" could also be unfinished.
  const endings = [...new Set([parsed.typed.at(-1) ?? '', ...completed])]
  const stem = parsed.typed.slice(0, -1)
  const exactTitle = parsed.typed.length
    ? endings.map((e) => exactTitleToken([...stem, e])).filter((t): t is string => t !== null)
    : []
  const phrases = parsed.typed.length > 1 ? endings.map((e) => ftsToken([...stem, e].join(' '))) : []
  return { groups, required, df, exactTitle, phrases }
}

// The forms of the text last analysed on each connection, while the database is unchanged: a results page searches
// videos, channels and playlists for the same words, and forms do not depend on the kind. Forgotten once the
// current task ends (a page's searches run in one synchronous task): nothing of a visitor's search outlives it.
const lastForms = new WeakMap<Db, { key: string; version: string; groups: TermGroup[]; completed: string[] }>()

/** The text (as analysed) whose forms a connection remembers, or null: tests check that none outlives its task. */
export function rememberedText(db: Db): string | null {
  return lastForms.get(db)?.key ?? null
}

/** The groups of a parsed search with their forms (from the vocabulary), and the completions of its last word. */
function wordForms(db: Db, parsed: ParsedText, identifier: boolean): { groups: TermGroup[]; completed: string[] } {
  const key = JSON.stringify([parsed.terms, parsed.typed, identifier])
  const version = dataVersion(db)
  let found = lastForms.get(db)
  if (found?.key !== key || found.version !== version) {
    const groups: TermGroup[] = parsed.terms.map((t) => ({ text: t.text, forms: [{ text: t.text, cls: FormClass.exact }] }))
    const last = parsed.terms.at(-1)
    const lastGroup = groups.at(-1)
    let completed: string[] = []
    if (!identifier && last?.prefix && lastGroup && [...last.text].length >= 3 && (terms(db, [last.text]).get(last.text) ?? 0) < PREFIX_SEEN) {
      completed = completions(db, last.text)
      addForms(lastGroup, completed, FormClass.exact, MAX_COMPLETIONS)
    }
    if (!identifier) {
      for (const g of groups) {
        addForms(g, variants(db, g.text), FormClass.variant, MAX_VARIANTS)
        addForms(g, typos(db, g.text), FormClass.typo, MAX_TYPOS)
      }
      joinNeighbours(db, parsed.typed, groups)
    }
    if (!lastForms.has(db)) queueMicrotask(() => lastForms.delete(db))
    lastForms.set(db, (found = { key, version, groups, completed }))
  }
  // Fresh groups for each analysis: frequencies are keyed by group, and callers may extend a group's forms.
  return { groups: found.groups.map((g) => ({ text: g.text, forms: [...g.forms] })), completed: [...found.completed] }
}

function count(db: Db, kind: Kind, groups: TermGroup[], cap: number): number {
  return cappedCount(db, kind, { fts: kind.fts, expr: allExpr(groups, kind.textColumns, FormClass.typo) }, NO_RESTRICTIONS, cap)
}

function addForms(g: TermGroup, texts: string[], cls: FormClass, max: number): void {
  let added = 0
  for (const text of texts) {
    if (added >= max) break
    if (g.forms.some((f) => f.text === text)) continue
    g.forms.push({ text, cls } as Form)
    added++
  }
}

/** The most frequent indexed words starting with `prefix` (the vocabulary counts occurrences in short fields). */
export function completions(db: Db, prefix: string): string[] {
  const rows = prepared(db, `SELECT term FROM (SELECT term, n FROM search_terms WHERE term > ? AND term < ? LIMIT ${COMPLETION_SCAN})
    ORDER BY n DESC, length(term), term LIMIT ${MAX_COMPLETIONS}`).all(prefix, prefix + '\u{10FFFF}') as { term: string }[]
  return rows.map((r) => r.term)
}

/** Indexed words sharing a stem with `word` in one language, and split spellings ("livestream": "live stream"). */
function variants(db: Db, word: string): string[] {
  const out: { text: string; n: number }[] = []
  const stems = stemsOf(word)
  if (stems.size) {
    // Words whose stem in a language is one of this word's stems in the same language.
    const rows = prepared(db, `SELECT s.stem, s.term, s.langs, coalesce(t.n, 0) AS n FROM search_stems s
      LEFT JOIN search_terms t ON t.term = s.term WHERE s.stem IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify([...stems.keys()])) as { stem: string; term: string; langs: number; n: number }[]
    for (const r of rows) if (r.term !== word && (r.langs & stems.get(r.stem)!) !== 0) out.push({ text: r.term, n: r.n })
    // A stem that is itself an indexed word and its own stem ("tutorials" -> "tutorial").
    const bare = terms(db, [...stems.keys()].filter((s) => s !== word))
    for (const [stem, n] of bare) {
      const own = stemsOf(stem).get(stem) ?? 0
      if ((own & stems.get(stem)!) !== 0) out.push({ text: stem, n })
    }
  }
  if (stemmable(word) && word.length >= SPLIT_MIN) {
    const chars = [...word]
    const cuts: [string, string][] = []
    for (let i = SPLIT_PART; i <= chars.length - SPLIT_PART; i++) cuts.push([chars.slice(0, i).join(''), chars.slice(i).join('')])
    const known = terms(db, cuts.flat())
    for (const [a, b] of cuts) {
      if (known.has(a) && known.has(b)) out.push({ text: `${a} ${b}`, n: Math.min(known.get(a)!, known.get(b)!) })
    }
  }
  return unique(out)
}

/** Indexed words within the edits `word` tolerates, closest then most frequent first. */
function typos(db: Db, word: string): string[] {
  const max = allowedEdits(word)
  if (max === 0) return []
  const found = typoCandidates(db, word)
  const n = terms(db, found)
  return found
    .map((text) => ({ text, n: n.get(text) ?? 0, d: editDistance(word, text, max) }))
    .filter((r) => r.d > 0 && r.d <= max)
    .sort((a, b) => a.d - b.d || b.n - a.n || (a.text < b.text ? -1 : 1))
    .map((r) => r.text)
}

/**
 * The vocabulary words sharing a typo key with `word` (typos.ts), read key by key, closest keys first (the word,
 * its one-letter deletions, then two-letter ones), at most TYPO_KEY_WORDS per key and TYPO_CANDIDATES in all.
 */
export function typoCandidates(db: Db, word: string): string[] {
  const lookup = prepared(db, `SELECT term FROM search_typo_keys WHERE key = ? LIMIT ${TYPO_KEY_WORDS}`)
  const found = new Set<string>()
  for (const key of lookupKeys(word)) {
    for (const row of lookup.all(key) as { term: string }[]) found.add(row.term)
    if (found.size >= TYPO_CANDIDATES) break
  }
  return [...found]
}

/** Two neighbouring words that are one indexed word ("peer tube": "peertube") add it to both groups. */
function joinNeighbours(db: Db, typed: string[], groups: TermGroup[]): void {
  const pairs: [string, string][] = []
  for (let i = 0; i + 1 < typed.length; i++) {
    if (stemmable(typed[i]! + typed[i + 1]!) && typed[i] !== typed[i + 1]) pairs.push([typed[i]!, typed[i + 1]!])
  }
  if (!pairs.length) return
  const known = terms(db, pairs.map(([a, b]) => a + b))
  for (const [a, b] of pairs) {
    if (!known.has(a + b)) continue
    for (const g of groups) if (g.text === a || g.text === b) addForms(g, [a + b], FormClass.variant, 1)
  }
}

function terms(db: Db, candidates: string[]): Map<string, number> {
  if (!candidates.length) return new Map()
  const rows = prepared(db, 'SELECT term, n FROM search_terms WHERE term IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(candidates)) as { term: string; n: number }[]
  return new Map(rows.map((r) => [r.term, r.n]))
}

function unique(found: { text: string; n: number }[]): string[] {
  const best = new Map<string, number>()
  for (const f of found) best.set(f.text, Math.max(best.get(f.text) ?? 0, f.n))
  return [...best].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([text]) => text)
}
