// From parsed words to what the engine searches: term groups (a word, or a prefix and its completions) and the
// relaxation levels that let a search whose words are not all present still find the best partial matches.
import type { Db } from '../db/open.ts'
import { cappedCount, completions, matchDensity, type Source } from './engine.ts'
import type { TermGroup } from './rank.ts'
import { ftsToken, type ParsedText } from './text.ts'

// A last word found in fewer documents than this is taken as unfinished and expanded to its completions; a
// common word ("music") is taken as typed, which also keeps its search cheap.
const PREFIX_DF = 20
// Document frequencies are only compared, so counting stops here.
const DF_CAP = 5000
// A word in more than this share of a big index (at least DF_CAP documents) restricts nothing worth its cost.
const STOP_DENSITY = 0.25

const NO_RESTRICTIONS = { facets: null, blocked: null, minKey: null, maxKey: null, post: [] }

/** One group as FTS5: `"word"` or `("peertube" OR "peertubes")`. */
export function groupExpr(g: TermGroup): string {
  return g.forms.length === 1 ? ftsToken(g.forms[0]!) : `(${g.forms.map(ftsToken).join(' OR ')})`
}

/** All groups, within some columns: `{name tags}: ("a" AND ("b" OR "bc"))`. */
export function allExpr(groups: TermGroup[], columns: string[]): string {
  return `{${columns.join(' ')}}: (${groups.map(groupExpr).join(' AND ')})`
}

/** Where a kind's words are: its full index, the text columns there, and the vocabulary completions come from. */
export type TextSource = Source & { textColumns: string[]; vocab: string }

/**
 * The term groups of a search: every word as typed, and the last one (if marked as a prefix) with up to eight
 * completions when it is not itself a common word.
 */
export function termGroups(db: Db, src: TextSource, parsed: ParsedText): TermGroup[] {
  return parsed.terms.map((t) => {
    if (!t.prefix || [...t.text].length < 3) return { text: t.text, forms: [t.text] }
    const df = cappedCount(db, src, { fts: src.fts, expr: allExpr([{ text: t.text, forms: [t.text] }], src.textColumns) }, NO_RESTRICTIONS, PREFIX_DF)
    if (df >= PREFIX_DF) return { text: t.text, forms: [t.text] }
    return { text: t.text, forms: [...new Set([t.text, ...completions(db, src.vocab, t.text)])] }
  })
}

/** What the search requires: the groups that restrict matches, and how many documents each is in (capped). */
export type Requirements = { groups: TermGroup[]; df: Map<TermGroup, number> }

/**
 * The groups a match must contain. A word found in more than a quarter of a big index ("the", "de", "video") is
 * not required: it would barely narrow the matches while costing a seek in its huge list per match. It still
 * counts in the score (phrase, title). A query made only of such words requires them all.
 */
export function requirements(db: Db, src: TextSource, groups: TermGroup[]): Requirements {
  const df = new Map(groups.map((g) => [g, cappedCount(db, src, { fts: src.fts, expr: allExpr([g], src.textColumns) }, NO_RESTRICTIONS, DF_CAP)]))
  if (groups.length < 2) return { groups, df }
  const kept = groups.filter((g) => df.get(g)! < DF_CAP || matchDensity(db, src, { fts: src.fts, expr: allExpr([g], src.textColumns) }, NO_RESTRICTIONS) <= STOP_DENSITY)
  return { groups: kept.length ? kept : groups, df }
}

/**
 * Relaxation levels: all the required groups, then without the most common one, and so on down to the rarest
 * alone. Dropping the most common word first keeps what distinguishes the query ("the blender tutorial" relaxes to
 * "blender tutorial", not to "the"). A word found nowhere (a typo) is dropped before anything else, and the levels
 * that still hold it, which can match nothing, are left out.
 */
export function relaxationLevels({ groups, df }: Requirements): TermGroup[][] {
  if (groups.length < 2) return [groups]
  let current = groups.filter((g) => df.get(g)! > 0)
  if (current.length === 0) return [groups]
  const levels = [current]
  while (current.length > 1) {
    let drop = current[0]!
    for (const g of current) if (df.get(g)! >= df.get(drop)!) drop = g
    current = current.filter((g) => g !== drop)
    levels.push(current)
  }
  return levels
}
