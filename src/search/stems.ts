// Plurals and inflections: the Snowball stemmers of the languages PeerTube hosts most. A search word also finds
// the indexed words that share one of its stems *in the same language* ("tutorials" finds "tutorial", "musiques"
// finds "musique"), ranked below the word itself (rank.ts). Stems are computed once per indexed word, when it
// enters the vocabulary (the `search_stems` table, filled by a trigger through sepia_term_stems), so a search
// only looks them up.
//
// @orama/stemmers: Snowball stemmers for every language we need, ESM with types, about 3 µs a word (a port of the
// Snowball sources, `snowball-stemmers`, took 19 µs, which matters when a fresh crawl adds a million words). Its
// English stemmer is the original Porter algorithm (Porter2 conflates a little less); French, German, Spanish,
// Italian, Portuguese and Dutch are the Snowball ones.
import { stemmer as dutch } from '@orama/stemmers/dutch'
import { stemmer as english } from '@orama/stemmers/english'
import { stemmer as french } from '@orama/stemmers/french'
import { stemmer as german } from '@orama/stemmers/german'
import { stemmer as italian } from '@orama/stemmers/italian'
import { stemmer as portuguese } from '@orama/stemmers/portuguese'
import { stemmer as spanish } from '@orama/stemmers/spanish'

/** The stemmed languages, in bit order: language i is bit 1 << i of a `langs` mask. */
export const STEM_LANGUAGES = [
  ['en', english],
  ['fr', french],
  ['de', german],
  ['es', spanish],
  ['it', italian],
  ['pt', portuguese],
  ['nl', dutch],
] as const

// Shorter words are left alone: their stems ("vid", "dat") would join unrelated words.
const MIN_LETTERS = 4

/** Whether a (folded) word is stemmed at all: letters only, long enough. */
export function stemmable(word: string): boolean {
  return word.length >= MIN_LETTERS && /^\p{L}+$/u.test(word)
}

/**
 * The stems of a folded word, with the languages (bit mask) giving each. Some stemmers put accents back
 * (Italian writes "è"); stems are folded again, as the index folds every word.
 */
export function stemsOf(word: string): Map<string, number> {
  const out = new Map<string, number>()
  if (!stemmable(word)) return out
  for (const [i, [, stem]] of STEM_LANGUAGES.entries()) {
    const s = stem(word).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    if (s.length < 2) continue
    out.set(s, (out.get(s) ?? 0) | (1 << i))
  }
  return out
}
