import type { Db } from '../../db/open.ts'
import { parseVideosParams } from '../../search/params.ts'
import { searchVideos } from '../../search/videos.ts'

const MAX_SUGGESTIONS = 8

/**
 * OpenSearch suggestions (`[query, [completion, …]]`): the titles of the best matching videos, sensitive ones
 * left out as on the site. Answers an empty list rather than an error, since browsers ask on every keystroke.
 */
export function suggestions(db: Db, text: string): [string, string[]] {
  const search = text.trim().slice(0, 200)
  if (search.length < 2) return [text, []]
  const parsed = parseVideosParams({ search, count: String(MAX_SUGGESTIONS * 2), nsfw: 'false' })
  if (!parsed.ok) return [text, []]
  const seen = new Map<string, string>()
  for (const v of searchVideos(db, parsed.query).data) {
    const key = v.name.toLocaleLowerCase()
    if (!seen.has(key)) seen.set(key, v.name)
    if (seen.size === MAX_SUGGESTIONS) break
  }
  return [text, [...seen.values()]]
}
