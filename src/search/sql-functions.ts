// The SQL functions the search schema calls (migrations/0006): the static rank in each FTS key, the facets column
// of each index, and the vocabulary tables' words, stems and typo keys. They are defined in TypeScript so that the
// index side and the query side share one definition (rank.ts, facets.ts, text.ts, stems.ts, typos.ts); openDb
// registers them on every connection, since triggers call them on every write.
import type { Db } from '../db/open.ts'
import { spendRow } from './engine.ts'
import { channelFacets, playlistFacets, videoFacets } from './facets.ts'
import { channelRank, playlistRank, videoRank } from './rank.ts'
import { stemsOf } from './stems.ts'
import { fold, words } from './text.ts'
import { typoKeys } from './typos.ts'

// Longer runs of letters (hashes, glued URLs) are not words anyone types.
const MAX_WORD = 32

const num = (v: unknown) => Number(v ?? 0)
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v))
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v))

/** Registers the search schema's functions on a connection (idempotent). */
export function registerSearchFunctions(db: Db): void {
  const deterministic = { deterministic: true }
  db.function('sepia_video_rank', deterministic, (views: unknown, likes: unknown, publishedAt: unknown) => videoRank(num(views), num(likes), num(publishedAt)))
  db.function('sepia_channel_rank', deterministic, (followers: unknown) => channelRank(num(followers)))
  db.function('sepia_playlist_rank', deterministic, (videos: unknown) => playlistRank(num(videos)))
  // A video's insert and update triggers fill both video indexes from the same view, so each write asks twice in a
  // row for the same row's facets: the last answer is kept for the next call with the same arguments.
  let last: { args: unknown[]; facets: string } | null = null
  db.function('sepia_video_facets', { deterministic: true, varargs: true }, (...a: unknown[]) => {
    if (last && last.args.length === a.length && last.args.every((x, i) => x === a[i])) return last.facets
    const facets = videoFacets({
      nsfw: num(a[0]), isLive: num(a[1]), categoryId: a[2] === null ? null : num(a[2]), licenceId: a[3] === null ? null : num(a[3]),
      languageId: strOrNull(a[4]), accountName: str(a[5]), accountHost: str(a[6]), channelName: str(a[7]), channelHost: str(a[8]),
      tags: strOrNull(a[9]), name: str(a[10]), publishedAt: num(a[11]), originallyPublishedAt: a[12] === null ? null : num(a[12]),
      duration: num(a[13]),
    })
    last = { args: a, facets }
    return facets
  })
  db.function('sepia_channel_facets', deterministic, (host: unknown, name: unknown, ownerName: unknown, ownerHost: unknown, displayName: unknown) =>
    channelFacets(str(host), str(name), str(ownerName), str(ownerHost), str(displayName)),
  )
  db.function('sepia_playlist_facets', deterministic, (ownerHost: unknown, ownerName: unknown, channelName: unknown, channelHost: unknown, displayName: unknown) =>
    playlistFacets(str(ownerHost), str(ownerName), strOrNull(channelName), strOrNull(channelHost), str(displayName)),
  )
  // Called once per row a search reads for a row condition (engine.ts workBudget); not deterministic: it counts.
  db.function('sepia_budget', { deterministic: false }, spendRow)
  // The distinct words of a text, folded as the tokenizer folds them: what enters the vocabulary (a JSON array:
  // json_each reads it in C, far cheaper than a table-valued function calling back into JavaScript per word).
  db.function('sepia_words', deterministic, (text: unknown) =>
    JSON.stringify([...new Set(words(fold(str(text))))].filter((w) => [...w].length <= MAX_WORD)),
  )
  // The stems of a vocabulary word that differ from it, with the languages giving each (stems.ts): [[stem, langs]].
  db.function('sepia_term_stems', deterministic, (term: unknown) =>
    JSON.stringify([...stemsOf(str(term))].filter(([stem]) => stem !== str(term))),
  )
  // The keys a vocabulary word is found under by a word with a typo (typos.ts).
  db.function('sepia_typo_keys', deterministic, (term: unknown) => JSON.stringify(typoKeys(str(term))))
}
