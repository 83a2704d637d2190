// The reference the benchmark checks the engine against: the same ranking (src/search/rank.ts) applied to every
// match. Each bucket of the search is read whole, in rank order, and appended (leaving out what an earlier
// bucket gave); the first `start + count` rows of that list are the true best page. The engine reads only what
// the page needs; if its page differs from this one, it is not exact.
import type { Db } from '../src/db/open.ts'
import { bestMatches, idOfKey, type Kind } from '../src/search/engine.ts'
import { analyze } from '../src/search/forms.ts'
import { levels } from '../src/search/rank.ts'
import { bucketQueries, type KindQuery } from '../src/search/search.ts'
import { parseText } from '../src/search/text.ts'

/** The ids of the true best page of a relevance search (named objects left out: the classes use none). */
export function exhaustivePage(db: Db, kind: Kind, q: KindQuery): number[] {
  const parsed = parseText(q.text ?? '')
  if (!parsed.terms.length) return []
  const a = analyze(db, kind, parsed, q.identifier)
  const buckets = bucketQueries(kind, a, levels(a.required, a.df, !q.identifier), q.boost, q.restrictions)
  const all: number[] = []
  const seen = new Set<number>()
  for (const b of buckets) {
    for (const key of bestMatches(db, kind, b.q, q.restrictions, Number.MAX_SAFE_INTEGER)) {
      if (seen.has(key)) continue
      seen.add(key)
      all.push(idOfKey(key))
    }
    // Every match of this bucket is in; past the page, later buckets cannot change it.
    if (all.length >= q.start + q.count) break
  }
  return all.slice(q.start, q.start + q.count)
}
