// Reads the moderated list of instances (JoinPeerTube's format: `{ total, data: [{ host }] }`, paged with
// start/count). Its entries are untrusted like everything else: a malformed host is skipped.
import * as v from 'valibot'
import type { Config } from '../config/config.ts'
import type { Fetcher } from './http.ts'

// Same rule as the config's hosts: a lower-case name with an optional port, nothing else.
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/

const ListPageSchema = v.object({
  total: v.optional(v.number()),
  data: v.array(v.unknown()),
})
const EntrySchema = v.object({ host: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(253), v.regex(HOST)) })

/** How many hosts to ask for per page (PeerTube itself asks the same list for 1000 at once). */
export const LIST_PAGE_SIZE = 1000

/** The hosts of the list; `complete` is false when instances.maxListPages cut it short. */
export type InstanceList = { hosts: string[]; complete: boolean; skipped: number }

/** Fetches every page of the list URL; throws (FetchError, or Error for a wrong shape) when it cannot be read. */
export async function fetchInstanceList(fetcher: Fetcher, instances: Config['instances']): Promise<InstanceList> {
  if (!instances.listUrl) return { hosts: [], complete: true, skipped: 0 }
  const hosts = new Set<string>()
  let skipped = 0
  let start = 0
  for (let pageNo = 0; pageNo < instances.maxListPages; pageNo++) {
    const url = new URL(instances.listUrl)
    url.searchParams.set('start', String(start))
    url.searchParams.set('count', String(LIST_PAGE_SIZE))
    const parsed = v.safeParse(ListPageSchema, await fetcher.getJson(url.toString()))
    if (!parsed.success) throw new Error('the instance list answered something that is not a {total, data} list')
    const { total, data } = parsed.output
    for (const entry of data) {
      const e = v.safeParse(EntrySchema, entry)
      if (e.success) hosts.add(e.output.host)
      else skipped++
    }
    start += data.length
    // The server may cap `count` below what we asked: keep going until a page is empty or `total` is reached.
    if (data.length === 0 || (total !== undefined && start >= total) || (total === undefined && data.length < LIST_PAGE_SIZE)) {
      return { hosts: [...hosts], complete: true, skipped }
    }
  }
  return { hosts: [...hosts], complete: false, skipped }
}
