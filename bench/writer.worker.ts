// A crawl's write load for the benchmark: pages of 100 video upserts through the crawler's writer, each page in its
// own transaction, at `rate` videos per second (a crawl of 8 instances at once, each sending a page a second, writes
// about 800/s), rolled back so the cached benchmark index stays as built. Readers see the same lock and WAL traffic
// as with a real crawl, and the CPU the index updates take.
import { parentPort, workerData } from 'node:worker_threads'
import { openDb } from '../src/db/open.ts'
import { videoWriter } from '../src/db/videos.ts'
import { shortUuid } from '../src/short-uuid.ts'
import { benchVocabulary, rng } from './generate.ts'
import type { VideoRecord } from '../src/types.ts'

const { path, rate } = workerData as { path: string; rate: number }
const db = openDb(path, { bulkWrites: true })
const writer = videoWriter(db)
const { words } = benchVocabulary()
const random = rng(1234)
const word = () => words[Math.floor(Math.pow(random(), 3) * words.length)]!
const text = (n: number) => Array.from({ length: n }, word).join(' ')
const instance = (db.prepare('SELECT id, host FROM instances LIMIT 1').get() as { id: number; host: string })
let stop = false
let written = 0
parentPort!.on('message', () => (stop = true))

function record(i: number): VideoRecord {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('')
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`
  const now = Date.UTC(2025, 11, 1) + i * 1000
  const actor = { remoteId: 1, name: 'bench', displayName: 'Bench', host: instance.host, url: `https://${instance.host}/a/bench`, avatars: [] }
  const description = text(60)
  return {
    uuid, shortUuid: shortUuid(uuid), remoteId: i, url: `https://${instance.host}/videos/watch/${uuid}`, name: text(6),
    description, truncatedDescription: description.slice(0, 250), tags: [word(), word()],
    category: { id: 1, label: 'Music' }, licence: { id: 1, label: 'Attribution' }, language: { id: 'en', label: 'English' },
    duration: 300, isLive: false, nsfw: false, nsfwFlags: 0, nsfwSummary: null, aspectRatio: 1.7778, views: 10, likes: 1,
    dislikes: 0, comments: 0, viewers: 0, thumbnailUrl: null, previewUrl: null, embedUrl: null, createdAt: now,
    updatedAt: now, publishedAt: now, originallyPublishedAt: null, account: actor, channel: actor,
  }
}

const PAGE = 100
// A re-crawl mostly brings new view counts: a count that grows enough moves the video's rank key (a delete and an
// insert in both FTS indexes), so half of each page is such updates.
const maxId = (db.prepare('SELECT max(id) AS n FROM videos').get() as { n: number }).n
const bumpViews = db.prepare('UPDATE videos SET views = views * 2 + 10 WHERE id = ?')
const batch = db.transaction((start: number) => {
  for (let i = start; i < start + PAGE / 2; i++) writer.upsert(instance.id, record(i), Date.now(), null)
  for (let i = 0; i < PAGE / 2; i++) bumpViews.run(1 + Math.floor(random() * maxId))
  throw new Rollback()
})
class Rollback extends Error {}

const started = performance.now()
while (!stop) {
  try {
    batch(written)
  } catch (err) {
    if (!(err instanceof Rollback)) throw err
  }
  written += PAGE
  // Keep to the rate (and let the 'stop' message in): a real crawl waits on the network between pages.
  const ahead = (written / rate) * 1000 - (performance.now() - started)
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, ahead)))
}
db.close()
parentPort!.postMessage(written)
