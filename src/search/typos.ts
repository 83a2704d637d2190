// Typo tolerance in the spirit of Meilisearch's defaults: a search word of 5 letters or more also finds the
// indexed words one edit away, and a word of 9 letters or more those two edits away (an edit: a letter added,
// removed, replaced, or two neighbours swapped). Never on words with digits (years, versions, ids) nor on
// identifiers (the search code does not call this for uuids, handles and URLs).
//
// Candidates come from the index's own vocabulary through a deletion index (the symmetric-deletion idea of
// SymSpell): every indexed word of 4 letters or more is stored under itself and each of its one-letter
// deletions (`search_typo_keys`, filled by a trigger when the word enters the vocabulary). Two words within one
// edit always share such a key, so a search looks up its word and its own deletions (a handful of index seeks),
// then checks the real distance of what it finds. For two edits the search also looks up its two-letter
// deletions, which finds every word two edits away except those needing a deletion on both sides twice (two
// substitutions, or a substitution and a missing letter): storing two-letter deletions of every indexed word
// would multiply the table by ten.

/** Words shorter than this (in letters) are matched exactly: one edit in four letters is another word. */
export const TYPO_MIN_LETTERS = 5
/** From this length, two edits are tolerated. */
export const TWO_TYPOS_MIN_LETTERS = 9
// Indexed words shorter than this are never typo targets (a 5-letter search word with one letter too many).
const MIN_INDEXED = TYPO_MIN_LETTERS - 1
// Longer words are rare and costly to key; they are matched exactly.
const MAX_INDEXED = 24

const letters = (w: string) => /^\p{L}+$/u.test(w)

/** How many edits a folded search word tolerates: 0, 1 or 2. */
export function allowedEdits(word: string): 0 | 1 | 2 {
  const n = [...word].length
  if (n < TYPO_MIN_LETTERS || n > MAX_INDEXED || !letters(word)) return 0
  return n >= TWO_TYPOS_MIN_LETTERS ? 2 : 1
}

function deletions(chars: string[]): string[] {
  const out = new Set<string>()
  for (let i = 0; i < chars.length; i++) out.add([...chars.slice(0, i), ...chars.slice(i + 1)].join(''))
  return [...out]
}

/** The keys an indexed word is stored under: itself and its one-letter deletions (none when not a typo target). */
export function typoKeys(term: string): string[] {
  const chars = [...term]
  if (chars.length < MIN_INDEXED || chars.length > MAX_INDEXED || !letters(term)) return []
  return [term, ...deletions(chars)]
}

/** The keys a search word looks up: itself and its deletions, one or two letters deep. */
export function lookupKeys(word: string): string[] {
  const edits = allowedEdits(word)
  if (edits === 0) return []
  const one = deletions([...word])
  const keys = new Set([word, ...one])
  if (edits === 2) for (const d of one) for (const dd of deletions([...d])) keys.add(dd)
  return [...keys]
}

/**
 * The optimal-string-alignment distance (insertions, deletions, substitutions, adjacent transpositions) between
 * two words, in code points; any value above `max` is reported as max + 1.
 */
export function editDistance(a: string, b: string, max: number): number {
  const s = [...a]
  const t = [...b]
  if (Math.abs(s.length - t.length) > max) return max + 1
  let prev2: number[] = []
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1)
      row.push(d)
      best = Math.min(best, d)
    }
    if (best > max) return max + 1
    prev2 = prev
    prev = row
  }
  return Math.min(prev[t.length]!, max + 1)
}
