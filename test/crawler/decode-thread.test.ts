// The page decoder's thread against the same decoding on the calling thread, on a real listing page (the
// newpipe fixture: framatube's trending videos, remote ones included) made local to the instance it claims.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeListingPage, decoderState, stopDecoderThread } from '../../src/crawler/decode-thread.ts'
import { decodePage } from '../../src/crawler/page-decoder.ts'
import { InvalidResponse } from '../../src/crawler/peertube.ts'
import { realFixture } from '../helpers/fixtures.ts'

const inst = { host: 'peertube.example', origin: 'https://peertube.example' }

/** Page `n` of a listing: the fixture's videos, local to `inst`, with uuids of their own, and one malformed item. */
function page(n: number): Buffer {
  const body = realFixture('newpipe__videos-trending__1.json')
  for (const [i, v] of body.data.entries()) {
    v.uuid = `${String(n).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`
    v.isLocal = true
    v.account.host = v.channel.host = inst.host
  }
  body.data.push({ uuid: `${String(n).padStart(8, '0')}-0000-4000-8000-999999999999`, name: 42 })
  return Buffer.from(JSON.stringify(body))
}

async function ready(): Promise<void> {
  const until = Date.now() + 20_000
  while (decoderState() !== 'ready') {
    assert.notEqual(decoderState(), 'unavailable', 'the decoder thread could not start')
    assert.ok(Date.now() < until, `the decoder thread is still ${decoderState()}`)
    await decodeListingPage('videos', page(0), inst, 1)
    await new Promise((r) => setTimeout(r, 20))
  }
}

test('the decoder thread answers each page with what decoding it here gives', async () => {
  const pages = Array.from({ length: 20 }, (_, n) => page(n + 1))
  const here = pages.map((p) => decodePage('videos', p, inst, 7))
  // The fixture must exercise the normalisers: accepted videos with fingerprints, and a malformed item.
  assert.ok(here[0]!.items.filter((i) => i.n.kind === 'ok' && i.hash !== null).length >= 10)
  assert.equal(here[0]!.items.at(-1)!.n.kind, 'malformed')
  await ready()
  // Sent at once, answered out of one queue: each page must get its own answer.
  assert.deepEqual(await Promise.all(pages.map((p) => decodeListingPage('videos', p, inst, 7))), here)
  await assert.rejects(decodeListingPage('videos', Buffer.from('{"total": 1, "data": ['), inst, 7), InvalidResponse)
  await assert.rejects(decodeListingPage('videos', Buffer.from('{"total": 1}'), inst, 7), InvalidResponse)
})

test('pages given to a thread that stops are decoded here, and the next page starts a new thread', async () => {
  await ready()
  const pages = Array.from({ length: 20 }, (_, n) => page(n + 100))
  const answers = Promise.all(pages.map((p) => decodeListingPage('videos', p, inst, 7)))
  await stopDecoderThread()
  assert.deepEqual(await answers, pages.map((p) => decodePage('videos', p, inst, 7)))
  assert.equal(decoderState(), 'none')
  await decodeListingPage('videos', page(1), inst, 7)
  assert.equal(decoderState(), 'starting')
  await ready()
})
