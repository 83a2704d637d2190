// Turns a visitor's search text into words for safe FTS5 expressions. User text never reaches FTS5 as syntax: it
// is cut into words as the index's tokenizer (unicode61, remove_diacritics 2) would, and each word is emitted as a
// quoted FTS5 string made only of letters and digits (ftsToken). Quotes, AND/OR/NOT/NEAR, `*`, `^`, `-`, `:` and
// parentheses are therefore just separators.

/** A searched word: its folded form (lower case, no accents) and whether it may be unfinished (the last word). */
export type Term = { text: string; prefix: boolean }

/** The words of a search: without repeats (terms), and as typed (for the exact title and the phrase; empty past MAX_TERMS words). */
export type ParsedText = { terms: Term[]; typed: string[] }

/** Words beyond this are ignored: ranking 10 KB of text word by word helps nobody and costs a lot. */
export const MAX_TERMS = 8
const MAX_TERM_LENGTH = 64
// The part of a long text we look at at all.
const MAX_TEXT = 1000

/** Lower-cases and strips accents the way unicode61 with remove_diacritics 2 does (closely enough to rank). */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
}

/** Cuts folded text into words: runs of letters, digits and private-use characters, as unicode61 does. */
export function words(folded: string): string[] {
  return folded.match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []
}

/**
 * Parses search text into terms. The last word is a prefix (people type "peertub" for "peertube") unless it is a
 * single character, whose prefix would match most of the index.
 */
export function parseText(text: string): ParsedText {
  const all = words(fold(text.slice(0, MAX_TEXT))).map((w) => w.slice(0, MAX_TERM_LENGTH))
  const unique = [...new Set(all)].slice(0, MAX_TERMS)
  const terms = unique.map((t) => ({ text: t, prefix: false }))
  const last = terms.at(-1)
  // Only when the typed text ends with that word: "peertub" is being typed, "peertube tutorial" is not.
  if (last && [...last.text].length >= 2 && all.at(-1) === last.text) last.prefix = true
  // A longer text has no exact title nor phrase to look for (titles are compared up to MAX_TERMS words).
  return { terms, typed: all.length <= MAX_TERMS ? all : [] }
}

/**
 * A word or token as an FTS5 string: `"word"`. User words hold only letters and digits, so the quotes are all the
 * escaping they need; doubling inner quotes covers the tokens we build ourselves (facets, tag filters).
 */
export function ftsToken(token: string): string {
  // FTS5 reads its query as a C string: a NUL would end it inside the quotes ("unterminated string").
  return `"${token.replaceAll('\0', '').replaceAll('"', '""')}"`
}
