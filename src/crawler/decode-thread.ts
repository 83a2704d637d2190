// Decodes listing pages on a worker thread (page-decoder.ts says what decoding is and why it moves). One thread per
// process, started at the first page and kept for the next crawls (it holds the process open only while it has
// pages): the listing ingest is bound by the thread that writes SQLite, and one more thread takes all the decoding
// it would otherwise do. If the thread cannot start or dies, pages are decoded on the calling thread: slower,
// never lost.
import { Worker } from 'node:worker_threads'
import { getAsset, isSea } from 'node:sea'
import { decodePage, type DecodedPage, type ListingName } from './page-decoder.ts'
import { InvalidResponse } from './peertube.ts'
import type { InstanceRef } from './items/common.ts'
import type { DecodeAnswer, DecodeRequest } from './page-decoder.worker.ts'
import { log } from '../log.ts'

/** The name of the bundled worker among the executable's assets (scripts/build.ts writes it). */
export const DECODER_ASSET = 'page-decoder.worker.cjs'

type Pending = { request: DecodeRequest; resolve(page: DecodedPage): void; reject(err: unknown): void }
type Thread = { worker: Worker; pending: Map<number, Pending>; ready: boolean }

let thread: Thread | null = null
let lastId = 0
// Set when a thread failed before answering anything (it cannot load here): pages are then decoded on this thread.
let unavailable = false

/** Decodes one listing page off this thread; throws InvalidResponse as decodePage does. */
export function decodeListingPage(listing: ListingName, bytes: Uint8Array, inst: InstanceRef, instanceId: number): Promise<DecodedPage> {
  const t = thread ?? (unavailable ? null : start())
  // Until the thread has loaded its modules (a few hundred milliseconds), pages are decoded here rather than wait.
  if (!t?.ready) return Promise.resolve().then(() => decodePage(listing, bytes, inst, instanceId))
  const request: DecodeRequest = { id: ++lastId, listing, bytes, inst, instanceId }
  return new Promise((resolve, reject) => {
    t.pending.set(request.id, { request, resolve, reject })
    // Only while pages are pending does the thread keep the process alive.
    if (t.pending.size === 1) t.worker.ref()
    t.worker.postMessage(request)
  })
}

/** Where pages are decoded now: 'none' (no page yet), 'starting' (here, until the thread has loaded), 'ready', 'unavailable' (here: the thread cannot run). */
export function decoderState(): 'none' | 'starting' | 'ready' | 'unavailable' {
  if (unavailable) return 'unavailable'
  return thread === null ? 'none' : thread.ready ? 'ready' : 'starting'
}

/** Stops the decoder thread; the pages it was given are decoded here, and the next page starts a new thread. */
export async function stopDecoderThread(): Promise<void> {
  await thread?.worker.terminate()
}

function start(): Thread | null {
  let worker: Worker
  try {
    // A young generation of 12 MB rather than V8's default (up to 48): a page's objects die young, and the
    // crawler's peak private memory fell by 30-40 MB (bench:crawl's ingest, 2026-11-27).
    const resourceLimits = { maxYoungGenerationSizeMb: 12 }
    worker = isSea() ? new Worker(getAsset(DECODER_ASSET, 'utf8'), { eval: true, resourceLimits }) : new Worker(new URL('./page-decoder.worker.mjs', import.meta.url), { resourceLimits })
  } catch (err) {
    unavailable = true
    log('warn', `listing pages are decoded on the main thread: the decoder thread did not start (${(err as Error).message})`)
    return null
  }
  const t: Thread = { worker, pending: new Map(), ready: false }
  let answered = false
  worker.unref()
  worker.on('message', (answer: DecodeAnswer) => {
    answered = true
    if ('ready' in answer) {
      t.ready = true
      // (Unreferenced again: a thread unreferenced before it came online may hold the process open.)
      if (t.pending.size === 0) worker.unref()
      return
    }
    const p = t.pending.get(answer.id)
    if (!p) return
    t.pending.delete(answer.id)
    if (t.pending.size === 0) worker.unref()
    if ('page' in answer) p.resolve(answer.page)
    else if ('invalid' in answer) p.reject(new InvalidResponse(answer.invalid))
    else p.reject(new Error(`the page decoder failed: ${answer.failed}`))
  })
  // A thread that fails (it could not load, or ran out of memory) is let go: what it had is decoded here, and the
  // next page starts a new one.
  const lost = (err?: unknown) => {
    if (thread !== t) return
    thread = null
    if (!answered) unavailable = true
    if (err) log('warn', `the page decoder thread failed${unavailable ? ', listing pages are decoded on the main thread' : ''}: ${(err as Error)?.message ?? err}`)
    for (const p of t.pending.values()) {
      const { listing, bytes, inst, instanceId } = p.request
      try {
        p.resolve(decodePage(listing, bytes, inst, instanceId))
      } catch (err) {
        p.reject(err)
      }
    }
    t.pending.clear()
  }
  worker.on('error', lost)
  worker.on('exit', () => lost())
  thread = t
  return t
}
