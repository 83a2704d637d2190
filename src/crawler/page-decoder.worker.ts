// The page decoder's thread (decode-thread.ts): decodes each listing page it is sent and answers with the page, or
// with the error an instance's answer earned (an InvalidResponse) or a failure of the decoder itself.
import { parentPort } from 'node:worker_threads'
import { decodePage, type ListingName } from './page-decoder.ts'
import { InvalidResponse } from './peertube.ts'
import type { InstanceRef } from './items/common.ts'

/** A page to decode. */
export type DecodeRequest = { id: number; listing: ListingName; bytes: Uint8Array; inst: InstanceRef; instanceId: number }

/** What the thread answers (`ready` once, when it has loaded). */
export type DecodeAnswer =
  | { ready: true }
  | { id: number; page: ReturnType<typeof decodePage> }
  | { id: number; invalid: string }
  | { id: number; failed: string }

parentPort!.on('message', ({ id, listing, bytes, inst, instanceId }: DecodeRequest) => {
  let answer: DecodeAnswer
  try {
    answer = { id, page: decodePage(listing, bytes, inst, instanceId) }
  } catch (err) {
    answer = err instanceof InvalidResponse ? { id, invalid: err.message } : { id, failed: String((err as Error)?.stack ?? err) }
  }
  parentPort!.postMessage(answer)
})
parentPort!.postMessage({ ready: true } satisfies DecodeAnswer)
