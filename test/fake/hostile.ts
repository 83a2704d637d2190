// Adversarial fake instances (issue 6): one misbehaviour per export. Most are `respond` hooks for a fake instance,
// so that a test can crawl an instance while it is healthy, then turn it hostile and crawl again; what happens
// below HTTP (a peer that accepts connections and says nothing) gets a tiny server of its own. None of them
// sleeps on a referenced timer or keeps a socket open after its server closed, so a test process always exits.
import { createHash } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { route, type FakeInstance } from './instance.ts'
import { randomUuid, seededRandom } from './random.ts'
import { createFactories } from './factories.ts'
import type { FakeInstanceSpec, FakeRequest, FakeResponse, FakeVideo } from './types.ts'

/** A `respond` hook (see FakeInstanceSpec.respond). */
export type Respond = NonNullable<FakeInstanceSpec['respond']>

/** Which requests misbehave. */
export type When = (r: FakeRequest) => boolean

/** Ready-made request selectors: the config is read first, so `listing` makes a crawl fail half-way, not at once. */
export const when = {
  always: (() => true) as When,
  config: ((r) => r.path === '/api/v1/config') as When,
  listing: ((r) => r.path === '/api/v1/videos') as When,
  details: ((r) => /^\/api\/v1\/videos\/[^/]+$/.test(r.path)) as When,
  /** Any paged listing: videos, channels, playlists. */
  lists: ((r) => ['/api/v1/videos', '/api/v1/video-channels', '/api/v1/video-playlists'].includes(r.path)) as When,
}

/** Answers normally, but only after `ms` (seconds, in the words: more than the crawler's timeout). */
export function slowly(ms: number, which: When = when.always): Respond {
  return async (r) => {
    // An unreferenced timer: a test that is over does not wait for the fake to wake up.
    if (which(r)) await sleep(ms, undefined, { ref: false })
    return undefined
  }
}

/** Accepts the request and never answers it (the socket stays open until the client gives up). */
export function neverAnswers(which: When = when.always): Respond {
  return (r) => (which(r) ? { status: 200, takeOver: () => {} } : undefined)
}

/** Counts what an endless body wrote before the client hung up. */
export type BodyMeter = { written: number; requests: number; cut: number }

/**
 * Sends a JSON-looking body of `totalBytes` (hundreds of MB) as fast as the client reads it, honouring
 * backpressure so that the fake itself stays small; with `declare`, also announces its length up front.
 */
export function hugeBody(meter: BodyMeter, options: { which?: When; totalBytes?: number; declare?: boolean } = {}): Respond {
  const { which = when.always, totalBytes = 500 * 1024 * 1024, declare = false } = options
  const chunk = Buffer.from(`{"id":1,"name":"${'x'.repeat(64 * 1024 - 20)}"},`)
  return (r) => {
    if (!which(r)) return undefined
    return {
      status: 200,
      takeOver: (res: ServerResponse) => {
        meter.requests++
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          ...(declare ? { 'content-length': String(totalBytes) } : {}),
        })
        let sent = 0
        let closed = false
        res.on('close', () => {
          closed = true
          if (sent < totalBytes) meter.cut++
        })
        res.on('error', () => {})
        const pump = () => {
          while (!closed && sent < totalBytes) {
            const piece = sent === 0 ? Buffer.from('{"total":1,"data":[') : chunk
            sent += piece.length
            meter.written += piece.length
            if (!res.write(piece)) return void res.once('drain', pump)
          }
          if (!closed) res.end(']}')
        }
        pump()
      },
    }
  }
}

/** Sends the headers at once, then the body one byte every `intervalMs`, forever. */
export function dripsBody(intervalMs: number, which: When = when.always): Respond {
  return (r) => {
    if (!which(r)) return undefined
    return {
      status: 200,
      takeOver: (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        res.write('{"total":1,"data":[')
        const timer = setInterval(() => res.write(' '), intervalMs)
        timer.unref()
        res.on('close', () => clearInterval(timer))
        res.on('error', () => {})
      },
    }
  }
}

/** Answers 200 with a body that is not JSON at all, or JSON cut short. */
export function invalidJson(which: When = when.always): Respond {
  return (r) => (which(r) ? { status: 200, raw: '{"total": 3, "data": [{"id": 1, "uuid": "' } : undefined)
}

/** Answers what the fake would, passed through `distortion` (only successful JSON answers are distorted). */
export function distort(inst: FakeInstance, which: When, distortion: (body: any, r: FakeRequest) => unknown): Respond {
  return (r) => {
    if (!which(r)) return undefined
    const normal = route(inst, r)
    if (normal.status !== 200 || normal.body === undefined) return normal
    return { ...normal, body: distortion(structuredClone(normal.body), r) }
  }
}

/** Every number in a JSON value turned into a string ("strings for numbers"), `total` and ids included. */
export function stringsForNumbers(value: unknown): unknown {
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) return value.map(stringsForNumbers)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringsForNumbers(v)]))
  return value
}

/** Every value in a JSON value turned into null, keeping only the keys (and `data` arrays, so items exist). */
export function nullsEverywhere(value: unknown, key = ''): unknown {
  if (Array.isArray(value) && key === 'data') return value.map((x) => nullsEverywhere(x))
  if (value && typeof value === 'object' && !Array.isArray(value) && key === '') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nullsEverywhere(v, k)]))
  }
  return null
}

/** Answers 429 with Retry-After to every other request (the first, third, fifth …), and normally otherwise. */
export function tooManyRequestsEveryOther(retryAfterSeconds = 1): Respond & { limited: () => number } {
  let n = 0
  let limited = 0
  const respond = ((r: FakeRequest) => {
    if (n++ % 2 === 1) return undefined
    limited++
    return { status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: { error: 'Too many requests', status: 429, instance: r.url } }
  }) as Respond & { limited: () => number }
  respond.limited = () => limited
  return respond
}

/**
 * Answers 500 to a seeded random share of requests. Whether a request fails depends only on the seed, its URL and
 * how many times that URL was asked before, so retries interleaved in any order meet the same fate.
 */
export function randomFailures(seed: number, rate: number): Respond & { failures: () => number } {
  const asked = new Map<string, number>()
  let failures = 0
  const respond = ((r: FakeRequest) => {
    const nth = asked.get(r.url) ?? 0
    asked.set(r.url, nth + 1)
    const draw = Number.parseInt(createHash('sha256').update(`${seed}:${r.url}:${nth}`).digest('hex').slice(0, 8), 16) / 2 ** 32
    if (draw >= rate) return undefined
    failures++
    return { status: 500, body: { error: 'Internal Server Error', status: 500, instance: r.url } }
  }) as Respond & { failures: () => number }
  respond.failures = () => failures
  return respond
}

/** Redirects (302) to `location`: another host, or a private address such as the cloud metadata service. */
export function redirectsTo(location: string, which: When = when.always): Respond {
  return (r) => (which(r) ? { status: 302, headers: { location }, body: {} } : undefined)
}

/**
 * Paginates forever by answering the same full page whatever `start` asks, with a `total` that never ends: its
 * items cycle through the fake's real first page so that every page looks fine on its own.
 */
export function samePageForever(inst: FakeInstance): Respond {
  return (r) => {
    if (!when.lists(r)) return undefined
    const first = route(inst, { ...r, query: { ...r.query, start: '0' } })
    if (first.status !== 200) return first
    const items = (first.body as { data: unknown[] }).data
    const data = items.length ? Array.from({ length: Number(r.query.count ?? 15) }, (_, i) => items[i % items.length]) : []
    return { status: 200, body: { total: 1_000_000_000, data } }
  }
}

/**
 * Paginates forever with fresh, valid, ever older local videos on each page: there is always a next page. The
 * videos are added to the instance (so that their details answer), older than anything else so pages stay put.
 */
export function endlessFreshPages(inst: FakeInstance, seed = 0xe7d1e55): Respond & { generated: () => number } {
  const random = seededRandom(seed)
  const make = createFactories(seed, '1990-01-01T00:00:00.000Z')
  let generated = 0
  let oldest = Date.parse('2000-01-01T00:00:00.000Z')
  const respond = ((r: FakeRequest) => {
    if (r.path !== '/api/v1/videos') return undefined
    const videos = (inst.spec.videos ??= [])
    const needed = Number(r.query.start ?? 0) + 2 * Number(r.query.count ?? 15)
    while (videos.length < needed) {
      const date = new Date((oldest -= 3_600_000)).toISOString()
      videos.push(make.video({ name: `Endless ${++generated}`, uuid: randomUuid(random), createdAt: date, updatedAt: date, publishedAt: date }))
    }
    return undefined
  }) as Respond & { generated: () => number }
  respond.generated = () => generated
  return respond
}

/**
 * Lists every item twice, the copy renamed (and its uuid in upper case for videos and playlists): the first
 * occurrence is the real one. Channels are repeated by name.
 */
export function duplicateUuids(inst: FakeInstance): Respond {
  return distort(inst, when.lists, (body: { data: Record<string, unknown>[] }) => {
    const data: unknown[] = []
    for (const item of body.data) {
      const copy: Record<string, unknown> = { ...item }
      if (typeof copy.uuid === 'string') copy.uuid = copy.uuid.toUpperCase()
      if (typeof copy.name === 'string' && 'uuid' in copy) copy.name = `Impostor of ${copy.name}`
      if (typeof copy.displayName === 'string') copy.displayName = `Impostor of ${copy.displayName}`
      data.push(item, copy)
    }
    return { ...body, data }
  })
}

/** The text a hostile instance puts in every field it can: markup, script, attribute breakers, a javascript: URL. */
export const HTML_PAYLOAD = `<script>alert("xss")</script><img src=x onerror=alert(1)> "'></a><svg onload=alert(2)> & javascript:alert(3) {{7*7}} \${7*7}`

/** A video whose every text field (title, description, tags, support, account and channel names) is HTML/JS. */
export function htmlVideo(base: FakeVideo): FakeVideo {
  return {
    ...base,
    name: `Title ${HTML_PAYLOAD}`,
    description: `Description ${HTML_PAYLOAD}`,
    support: `Support ${HTML_PAYLOAD}`,
    tags: ['<script>', '"onmouseover="x', "'><b>"],
    account: { name: 'mallory', displayName: `Account ${HTML_PAYLOAD}` },
    channel: { name: 'mallory_channel', displayName: `Channel ${HTML_PAYLOAD}` },
  }
}

/** URLs and paths a hostile instance may send instead of its own: script URLs, other hosts, private addresses. */
export function hostileUrls(inst: FakeInstance): Respond {
  return distort(inst, when.listing, (body: { data: Record<string, unknown>[] }) => ({
    ...body,
    data: body.data.map((item) => ({
      ...item,
      url: 'javascript:alert(document.cookie)',
      thumbnailPath: '//evil.example/steal.png',
      previewPath: 'javascript:alert(1)',
      embedPath: 'http://169.254.169.254/latest/meta-data/',
    })),
  }))
}

/**
 * Claims content of `victim`: its listing gains the victim's videos as the victim lists them (account and
 * channel on the victim's host), and copies of them under its own accounts (the victim's uuids, new names).
 */
export function claimsVideosOf(inst: FakeInstance, victim: FakeInstance): Respond {
  const listing = distort(inst, when.listing, (body: { data: unknown[] }, r) => {
    if (r.query.start !== '0' && r.query.start !== undefined) return body
    const stolen = route(victim, { ...r, query: { start: '0', count: '100', sort: '-publishedAt', nsfw: 'both' } })
    const theirs = ((stolen.body as { data?: Record<string, any>[] })?.data ?? []).filter((v) => v.isLocal)
    const ownTemplate = body.data[0] as Record<string, any> | undefined
    const copies = ownTemplate
      ? theirs.map((v) => ({ ...ownTemplate, id: 90_000 + Number(v.id), uuid: v.uuid, name: `Stolen ${v.name}`, url: undefined }))
      : []
    // Claimed as local, on the victim's host: the crawler must see it is someone else's.
    const foreign = theirs.map((v) => ({ ...v, isLocal: true }))
    return { ...body, total: Number(body.data.length) + copies.length + foreign.length, data: [...foreign, ...copies, ...body.data] }
  })
  return (r) => {
    // The details of a claimed video are the victim's own, so that only the ownership check can stop it.
    const uuid = when.details(r) ? r.path.split('/')[4] : undefined
    if (uuid && victim.spec.videos?.some((v) => v.uuid === uuid)) return route(victim, r)
    return listing(r)
  }
}

/** A TCP server that accepts connections and never reads nor writes a byte. */
export type SilentServer = { host: string; port: number; connections: number; close(): Promise<void> }

/** Starts a silent TCP server on a free port of 127.0.0.1 (a peer that accepts and never answers). */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    silent.connections++
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const silent: SilentServer = {
    host: `127.0.0.1:${port}`,
    port,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
  return silent
}

/** Connections undici started in this process (before DNS) and those it established, as "hostname:port". */
export type ConnectionLog = { attempts: string[]; connected: { target: string; address: string }[]; stop(): void }

/** Records every connection undici starts and completes (its diagnostics channels), to show none went astray. */
export function watchConnections(): ConnectionLog {
  const log: ConnectionLog = { attempts: [], connected: [], stop }
  type Message = { connectParams: { hostname: string; port: string | number }; socket?: Socket }
  const target = (m: Message) => `${m.connectParams.hostname}:${m.connectParams.port}`
  const onAttempt = (m: unknown) => void log.attempts.push(target(m as Message))
  const onConnected = (m: unknown) => {
    const msg = m as Message
    log.connected.push({ target: target(msg), address: msg.socket?.remoteAddress ?? '?' })
  }
  subscribe('undici:client:beforeConnect', onAttempt)
  subscribe('undici:client:connected', onConnected)
  function stop() {
    unsubscribe('undici:client:beforeConnect', onAttempt)
    unsubscribe('undici:client:connected', onConnected)
  }
  return log
}

/** A canned 200 JSON answer. */
export function ok(body: unknown): FakeResponse {
  return { status: 200, body }
}

/** Answers 200 with `bytes` of JSON nested one level per byte pair (`[[[[…]]]]`): tiny on the wire, huge once built. */
export function deeplyNested(bytes: number, which: When = when.always): Respond {
  const half = Math.floor(bytes / 2)
  const body = Buffer.concat([Buffer.alloc(half, '['), Buffer.alloc(half, ']')])
  return (r) => (which(r) ? { status: 200, raw: body } : undefined)
}

/** Answers 200 with `bytes` of a flat page of empty objects: `{"total":1,"data":[{},{},…]}`, millions of values. */
export function swarmOfValues(bytes: number, which: When = when.always): Respond {
  const head = '{"total":1,"data":['
  const body = Buffer.from(head + Array.from({ length: Math.floor((bytes - head.length) / 3) }, () => '{}').join(',') + ']}')
  return (r) => (which(r) ? { status: 200, raw: body } : undefined)
}
