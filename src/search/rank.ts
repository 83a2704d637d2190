// The ranking: the one definition of the order of relevance ("-match") results, for videos, channels and
// playlists. It uses only the query and the documents, never who is asking. README "Ranking" says the same in prose.
//
// Results are compared rule by rule, like Meilisearch's ranking rules: a rule only decides between documents the
// rules before it found equal.
//  1. Words: documents with all the searched words first; then, if a page is not full, documents with fewer of
//     them: a word found nowhere is dropped first, then the most common remaining word, and so on (levels()).
//     Very common words ("the", "de": in over a quarter of a large index) never restrict the matches, but they
//     still count in rules 2 and 4 (exact title, phrase).
//  2. Typos: documents that match every word as typed, or as another form of the same word (a plural or
//     inflection, a word split or joined), before documents that need a typo (typos.ts) for some word.
//  3. Field: all the words in the title, then in the title or tags, then in those or the channel and account
//     names, then anywhere (the description too). Channels: display name, then the handle's name, then the owner's
//     names, then the description. Playlists: display name, then owner and channel names, then the description.
//  4. Language: videos in one of the `boostLanguages` first (a lift, never a filter).
//  5. Exactness: for the title, the title being exactly the searched words, then the searched words as a phrase
//     (in order, next to each other); then, in any field, every word in its exact form (the last word may be
//     unfinished: any of its most frequent completions counts as exact); then with some word in another form
//     (stems.ts, a split or joined word).
//  6. Popularity: a static rank from the document alone (videoRank, channelRank, playlistRank below), higher first.
//  7. Ties: the most recently indexed first (a higher row id).
//
// Why it is built this way (see src/search/README.md for the measurements): rules 1-5 put every match of a
// search in one of a few dozen *buckets*, each an FTS5 expression, and every FTS index is keyed by the static
// rank (the FTS rowid is the rank in the high bits and the row id in the low 32 bits). A bucket's best documents
// are therefore the first rows of its FTS match list, which FTS5 reads in rowid order and stops early: the
// engine walks the buckets in order and reads only as many rows as the page needs, and the result is exactly
// the order this file defines, for every page, whatever the number of matches.

/** Rank steps per point of rank: popularity is compared in steps of 1/16 point (about 15% more views). */
export const RANK_STEPS = 16
/** The FTS key of a row: `rank * KEY_SPAN + id`. */
export const KEY_SPAN = 2 ** 32

const YEAR_MS = 365.25 * 86_400_000
const EPOCH_2000 = Date.UTC(2000, 0, 1)

const steps = (points: number) => Math.max(0, Math.floor(points * RANK_STEPS))

/**
 * A video's static rank: one point per tenfold views (a like counts as ten views), plus one point per four years
 * of publication after 2000, so that a video four years newer needs ten times fewer views to rank as high.
 */
export function videoRank(views: number, likes: number, publishedAt: number): number {
  const audience = Math.log10(1 + Math.max(0, views) + 10 * Math.max(0, likes))
  const freshness = Math.max(0, (publishedAt - EPOCH_2000) / YEAR_MS) / 4
  return steps(audience + freshness)
}

/** A channel's static rank: one point per tenfold followers. */
export function channelRank(followers: number): number {
  return steps(Math.log10(1 + Math.max(0, followers)))
}

/** A playlist's static rank: one point per tenfold videos in it. */
export function playlistRank(videos: number): number {
  return steps(Math.log10(1 + Math.max(0, videos)))
}

/** A searched word with the indexed words it stands for, each in a class of rule 2 and 4. */
export type TermGroup = { text: string; forms: Form[] }

/** An indexed word (or phrase, for a split word) standing for a searched word. */
export type Form = { text: string; cls: FormClass }

/** Exact (the word, or a completion of an unfinished last word), another form of it, or a typo. */
export const FormClass = { exact: 0, variant: 1, typo: 2 } as const
/** One of FormClass's values; a lower one is a closer match. */
export type FormClass = (typeof FormClass)[keyof typeof FormClass]

/**
 * Rule 1: the levels of a search, each the groups a match must contain, best first. Groups found nowhere (in no
 * form) go first; then the most common (highest `df`) remaining group at each step, down to the rarest alone.
 * `required` are the groups that restrict matches (very common words left out, see forms.ts).
 */
export function levels(required: TermGroup[], df: Map<TermGroup, number>, relax: boolean): TermGroup[][] {
  if (!relax || required.length < 2) return required.length ? [required] : []
  let current = required.filter((g) => df.get(g)! > 0)
  if (current.length === 0) return [required]
  const out = [current]
  while (current.length > 1) {
    let drop = current[0]!
    for (const g of current) if (df.get(g)! >= df.get(drop)!) drop = g
    current = current.filter((g) => g !== drop)
    out.push(current)
  }
  return out
}

/** What one bucket holds, abstractly; the engine turns it into an FTS5 expression over a kind's fields. */
export type BucketSpec = {
  level: number
  /** Index into the kind's relevance fields (0: title-like ... last: anywhere). */
  field: number
  /** The worst form class a word may match with. */
  forms: FormClass
  /** Rule 5's extra conditions within the title: exactly the words, or the words as a phrase. */
  exactness: 'title' | 'phrase' | null
  /** Rule 4: restricted to the boosted languages. */
  boosted: boolean
}

/** What decides which buckets exist for a search. */
export type BucketShape = {
  levels: TermGroup[][]
  /** Number of relevance fields of the kind. */
  fields: number
  /** The search has several words (a phrase bucket exists). */
  multiWord: boolean
  /** Exact-title tokens exist (the search has at most EXACT_TITLE_MAX_WORDS words). */
  exactTitle: boolean
  /** The kind has languages and the search boosts some. */
  boost: boolean
}

const hasClass = (level: TermGroup[], cls: FormClass) => level.some((g) => g.forms.some((f) => f.cls === cls))

/** Rules 1-5 as the ordered list of buckets; rules 6 and 7 order the documents inside each bucket. */
export function bucketOrder(s: BucketShape): BucketSpec[] {
  const out: BucketSpec[] = []
  for (const [level, groups] of s.levels.entries()) {
    const variants = hasClass(groups, FormClass.variant)
    for (let field = 0; field < s.fields; field++) {
      for (const boosted of s.boost ? [true, false] : [false]) {
        if (field === 0 && level === 0 && s.exactTitle) out.push({ level, field, forms: FormClass.exact, exactness: 'title', boosted })
        if (field === 0 && level === 0 && s.multiWord) out.push({ level, field, forms: FormClass.exact, exactness: 'phrase', boosted })
        out.push({ level, field, forms: FormClass.exact, exactness: null, boosted })
        if (variants) out.push({ level, field, forms: FormClass.variant, exactness: null, boosted })
      }
    }
    if (hasClass(groups, FormClass.typo)) {
      for (let field = 0; field < s.fields; field++) {
        for (const boosted of s.boost ? [true, false] : [false]) out.push({ level, field, forms: FormClass.typo, exactness: null, boosted })
      }
    }
  }
  return out
}

/**
 * The `score` shown with each result (PeerTube clients may display it): higher is better, decreasing along the
 * buckets and, inside one, with the static rank. Only its order means something.
 */
export function displayScore(bucket: number, buckets: number, key: number): number {
  const rank = Math.floor(key / KEY_SPAN)
  return ((buckets - bucket) * 1000 + Math.min(999, rank)) / 1000
}
