// The details phase: the full description and the tags of the videos whose listing is newer than their stored
// details (new or changed videos only, so an unchanged instance costs no details request). The list of what is
// pending lives in the database (videos.details_updated_at), so the phase can stop at any point (budget spent, a
// more urgent turn, a restart) and the next turn carries on. A failed request keeps the listing version, is
// recorded, and is tried again at a later turn, after the videos that never failed; it never fails the instance.
import { deleteVideo, detailsBacklog, detailsFailed, pendingDetails, storeDetails, type PendingDetails } from '../db/videos.ts'
import { CrawlAborted, FetchError } from './http.ts'
import { InvalidResponse, versionBelow } from './peertube.ts'
import { normalizeDescription, normalizeTags, type VideoDetails } from './items/video.ts'
import type { Turn } from './turn.ts'

// Pending videos read from the database at a time, and how many failures in a row from a host that stops
// answering end the phase (it is tried again at its next details turn, after a backoff).
const BATCH = 100
const HOST_FAILURES_TO_STOP = 3
// A details turn gives way to waiting listings only after this long, so that turns cannot pass a slot back and
// forth without doing anything.
const MIN_SLICE_MS = 10_000

/** What the details phase leaves behind: videos still pending, and why it stopped early (null: budget or done). */
export type DetailsEnd = { pending: number; error: string | null }

/** Fetches pending details until none are left, the budget is spent or the turn should yield. */
export async function fetchDetails(turn: Turn): Promise<DetailsEnd> {
  const { db, instanceId, result } = turn
  const started = Date.now()
  const total = detailsBacklog(db, instanceId).pending
  const fullDescriptionElsewhere = versionBelow(turn.version, 5)
  let error: string | null = null
  let hostFailures = 0
  const stop = () => error !== null || turn.budget.spent() || (turn.budget.elapsedMs() >= MIN_SLICE_MS && turn.shouldYield())

  const one = async (v: PendingDetails): Promise<void> => {
    let details: VideoDetails
    try {
      details = await fetchOne(turn, v.uuid, fullDescriptionElsewhere)
    } catch (err) {
      if (err instanceof CrawlAborted) throw err
      // Deleted, or made private, since the listing: not indexable any more.
      if (err instanceof FetchError && (err.status === 403 || err.status === 404 || err.status === 410)) {
        if (db.transaction(() => deleteVideo(db, v.id))()) result.videos.removed++
        return
      }
      if (!(err instanceof FetchError) && !(err instanceof InvalidResponse)) throw err
      db.transaction(() => detailsFailed(db, v.id, err.message, Date.now()))()
      result.details.failed++
      // Past its retries, a host error means the host is not answering (an invalid answer is the video's own).
      if (err instanceof FetchError && err.retryable && ++hostFailures >= HOST_FAILURES_TO_STOP) error = `fetching video details: ${err.message}`
      return
    }
    hostFailures = 0
    // Stored only for the listing version they were asked for; if that moved, they wait for the next turn.
    const stored = db.transaction(() => {
      if (storeDetails(db, v.id, v.updatedAt, details)) return true
      detailsFailed(db, v.id, 'its listing changed meanwhile', Date.now())
      return false
    })()
    if (stored) result.details.fetched++
    turn.progress({ phase: 'details', done: result.details.fetched + result.details.failed, total })
  }

  while (!stop()) {
    // Videos that failed during this turn wait for the next one.
    const batch = pendingDetails(db, instanceId, BATCH, started)
    if (batch.length === 0) break
    // As many at once as the host allows (perHostConcurrency); the fetcher paces them.
    let next = 0
    const worker = async () => {
      while (next < batch.length && !stop()) await one(batch[next++]!)
    }
    // Every worker is waited for before an error goes up: none keeps writing unseen after the turn ended.
    const settled = await Promise.allSettled(Array.from({ length: Math.min(turn.config.crawl.perHostConcurrency, batch.length) }, worker))
    const failed = settled.find((x) => x.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }
  return { pending: detailsBacklog(db, instanceId).pending, error }
}

async function fetchOne(turn: Turn, uuid: string, fullDescriptionElsewhere: boolean): Promise<VideoDetails> {
  const d = await turn.client.videoDetails(uuid)
  if (d.uuid.toLowerCase() !== uuid) throw new InvalidResponse('answered the details of another video')
  let description = d.description ?? null
  // Before 5.0, details carry the same truncated text as the listing; the full one is a request away.
  if (fullDescriptionElsewhere && description?.endsWith('...')) {
    description = (await turn.client.videoDescription(uuid)).description ?? description
  }
  return { description: normalizeDescription(description), tags: normalizeTags(d.tags) }
}
