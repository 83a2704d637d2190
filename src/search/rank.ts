// The score that orders results inside a relevance tier. It uses only the query and the document, never who is
// asking, and every part of it is listed here:
// * each searched word found in the title: +8, else in the tags: +4, else in the channel/account names: +2;
// * all the words, in order and next to each other, in the title (the exact phrase): +10, and the title is
//   exactly the query: +10 more;
// * how much of the title the query covers (a short, focused title beats a long one): up to +4;
// * popularity (views, followers, or videos in a playlist): +log10(1 + n) / 2, at most +3;
// * the document is in one of the `boostLanguages`: the whole score is doubled (a lift, never a filter; the old
//   Sepia halved the others).
// Tiers (title, then tags, then names, then anywhere; all words, then fewer) come first; see engine.ts.
import { fold, words } from './text.ts'

/** A searched word and the indexed words it stands for (itself, or a prefix's completions). */
export type TermGroup = { text: string; forms: string[] }

/** The searchable fields of a candidate, as stored. */
export type RankFields = { title: string; tags: string[]; names: string; language: string | null; popularity: number }

/** What the score compares candidates with. */
export type RankQuery = { groups: TermGroup[]; boostLanguages: Set<string> }

const has = (ws: string[], forms: Set<string>) => ws.some((w) => forms.has(w))

/** The relevance score of one candidate (higher is better). */
export function score(f: RankFields, q: RankQuery): number {
  if (q.groups.length === 0) return 0
  const title = words(fold(f.title))
  const tags = words(fold(f.tags.join(' ')))
  const names = words(fold(f.names))
  const forms = q.groups.map((g) => new Set(g.forms))
  let s = 0
  for (const set of forms) {
    if (has(title, set)) s += 8
    else if (has(tags, set)) s += 4
    else if (has(names, set)) s += 2
  }
  if (forms.length > 1 && phraseAt(title, forms) >= 0) {
    s += 10
    if (title.length === forms.length) s += 10
  } else if (forms.length === 1 && title.length === 1 && has(title, forms[0]!)) {
    s += 10
  }
  const covered = title.filter((w) => forms.some((set) => set.has(w))).length
  if (title.length > 0) s += (4 * covered) / title.length
  s += Math.min(3, Math.log10(1 + Math.max(0, f.popularity)) / 2)
  if (f.language && q.boostLanguages.has(f.language.toLowerCase())) s *= 2
  return Math.round(s * 1000) / 1000
}

// Where the groups appear as consecutive words of the title, or -1.
function phraseAt(title: string[], forms: Set<string>[]): number {
  for (let i = 0; i + forms.length <= title.length; i++) {
    if (forms.every((set, j) => set.has(title[i + j]!))) return i
  }
  return -1
}
