// One fake PeerTube instance over real HTTP on 127.0.0.1, answering the endpoints a crawler uses the way the
// real server does for an anonymous client (shared/docs/peertube-api-contract.md §3–4).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FakeChannel, FakeInstanceSpec, FakePlaylist, FakeRequest, FakeResponse, FakeVideo } from './types.ts'
import {
  atLeast, badRequest, fullChannel, playlistItem, problem, serverConfig, videoDetails, videoListItem, type FormatContext,
} from './format.ts'
import { shortUuid } from '../../src/short-uuid.ts'

/** A running fake instance. `spec` is live: edit it between crawls. */
export type FakeInstance = {
  host: string
  origin: string
  spec: FakeInstanceSpec
  /** Every request received, in order. */
  requests: FakeRequest[]
  /** The most requests this instance was ever answering at the same time. */
  maxInFlight: number
  /** With spec.rateLimit: the most requests counted in one of its windows, and how many were refused with 429. */
  limiter: { maxInWindow: number; refused: number }
  /** What a correct crawl must index from this instance: local, public, published videos, etc. */
  expected(): { videos: FakeVideo[]; channels: FakeChannel[]; playlists: FakePlaylist[] }
  close(): Promise<void>
}

/** Starts a fake instance on a free port of 127.0.0.1. */
export async function startFakeInstance(spec: FakeInstanceSpec): Promise<FakeInstance> {
  let inFlight = 0
  const server = createServer((req, res) => {
    inFlight++
    instance.maxInFlight = Math.max(instance.maxInFlight, inFlight)
    res.on('close', () => inFlight--)
    handle(instance, req, res).catch((err) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: String(err) } })
    })
  })
  const port = await listen(server)
  const host = `127.0.0.1:${port}`
  const instance: FakeInstance = {
    host,
    origin: `http://${host}`,
    spec,
    requests: [],
    maxInFlight: 0,
    limiter: { maxInWindow: 0, refused: 0 },
    expected: () => expectedContent(instance),
    close: () => closeServer(server),
  }
  return instance
}

/** Listens on 127.0.0.1 on a free port and returns it. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** Closes a server, cutting idle keep-alive connections so it does not linger. */
export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/** Writes a FakeResponse. */
export function send(res: ServerResponse, r: FakeResponse): void {
  if (r.hangUp) {
    res.socket?.destroy()
    return
  }
  if (r.takeOver) return r.takeOver(res)
  const problemJson = r.status >= 400 && r.raw === undefined
  const headers = {
    'content-type': problemJson ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8',
    'x-powered-by': 'PeerTube',
    ...r.headers,
  }
  res.writeHead(r.status, headers)
  res.end(r.raw ?? JSON.stringify(r.body ?? null))
}

/** Parses the request line into a FakeRequest. */
export function fakeRequest(req: IncomingMessage): FakeRequest {
  const url = new URL(req.url ?? '/', 'http://fake')
  return { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), url: req.url ?? '/', at: Date.now() }
}

async function handle(instance: FakeInstance, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const r = fakeRequest(req)
  instance.requests.push(r)
  const { spec } = instance
  // The limiter counts the request when it arrives, before any work, as express-rate-limit does.
  const limit = spec.rateLimit && r.path.startsWith('/api/') ? limiter(instance, spec.rateLimit, r) : null
  if (spec.latencyMs) await sleep(spec.latencyMs)
  if (limit?.refused) return send(res, limit.refused)
  const withLimits = (answer: FakeResponse): FakeResponse => (limit ? { ...answer, headers: { ...limit.headers, ...answer.headers } } : answer)
  const override = spec.respond ? await spec.respond(r) : undefined
  if (override) return send(res, withLimits(override))
  if (spec.failWith) return send(res, withLimits({ status: spec.failWith, body: problem(r.url, spec.failWith, 'fake failure') }))
  send(res, withLimits(route(instance, r)))
}

const windows = new WeakMap<FakeInstance, { start: number; hits: number }>()

// express-rate-limit (v7, memory store) as PeerTube sets it up: one fixed window per client from its first request.
function limiter(instance: FakeInstance, rate: { limit: number; windowMs: number }, r: FakeRequest): { headers: Record<string, string>; refused: FakeResponse | null } {
  let w = windows.get(instance)
  if (!w || r.at >= w.start + rate.windowMs) windows.set(instance, (w = { start: r.at, hits: 0 }))
  w.hits++
  const resetAt = w.start + rate.windowMs
  const headers = {
    'x-ratelimit-limit': String(rate.limit),
    'x-ratelimit-remaining': String(Math.max(0, rate.limit - w.hits)),
    'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)),
    date: new Date(r.at).toUTCString(),
  }
  if (w.hits <= rate.limit) {
    instance.limiter.maxInWindow = Math.max(instance.limiter.maxInWindow, w.hits)
    return { headers, refused: null }
  }
  instance.limiter.refused++
  const retry = { 'retry-after': String(Math.ceil((resetAt - r.at) / 1000)) }
  return { headers, refused: { status: 429, headers: { ...headers, ...retry }, body: problem(r.url, 429, 'You have been rate-limited.') } }
}

function assignIds(spec: FakeInstanceSpec): void {
  let next = 1
  const all = [...(spec.videos ?? []), ...(spec.remoteVideos ?? []), ...(spec.channels ?? []), ...(spec.playlists ?? [])]
  for (const item of all) if (item.id !== undefined) next = Math.max(next, item.id + 1)
  for (const item of all) if (item.id === undefined) item.id = next++
}

/** The fake's own answer to a request, before any `respond` override (hostile behaviours distort it). */
export function route(instance: FakeInstance, r: FakeRequest): FakeResponse {
  const { spec } = instance
  assignIds(spec)
  const ctx: FormatContext = { version: spec.version, host: instance.host, origin: instance.origin }
  if (r.method !== 'GET') return { status: 404, body: problem(r.url, 404, 'Not found') }
  if (r.path === '/api/v1/config') {
    return { status: 200, body: serverConfig(ctx, spec.name ?? 'PeerTube', spec.nsfwPolicy ?? 'do_not_list') }
  }
  if (r.path === '/api/v1/videos') return listVideos(instance, ctx, r)
  if (r.path === '/api/v1/video-channels') return listChannels(instance, ctx, r)
  if (r.path === '/api/v1/video-playlists') return listPlaylists(instance, ctx, r)
  const description = /^\/api\/v1\/videos\/([^/]+)\/description$/.exec(r.path)
  if (description && !atLeast(spec.version, '6.0')) {
    const v = findVideo(spec, description[1]!)
    if (!v) return { status: 404, body: problem(r.url, 404, 'Video not found') }
    return { status: 200, body: { description: v.description } }
  }
  const details = /^\/api\/v1\/videos\/([^/]+)$/.exec(r.path)
  if (details) {
    const v = findVideo(spec, details[1]!)
    if (!v || v.state !== 1) return { status: 404, body: problem(r.url, 404, 'Video not found') }
    if (v.privacy === 3 || v.privacy === 4) return { status: 403, body: problem(r.url, 403, 'Cannot get this private or internal video') }
    if (v.privacy === 5) return { status: 403, body: problem(r.url, 403, 'Please provide a password to access this password protected video') }
    return { status: 200, body: videoDetails(ctx, v) }
  }
  return { status: 404, body: problem(r.url, 404, 'Not found') }
}

function findVideo(spec: FakeInstanceSpec, id: string): FakeVideo | undefined {
  return [...(spec.videos ?? []), ...(spec.remoteVideos ?? [])].find(
    (v) => v.uuid === id || String(v.id) === id || (atLeast(spec.version, '3.4') && shortUuid(v.uuid) === id),
  )
}

type Page = { start: number; count: number; sort: string } | FakeResponse

// Pagination as PeerTube validates it: start ≥ 0, 0 ≤ count ≤ 100 (400 above, no clamping), a known sort.
function page(r: FakeRequest, sorts: string[], defaultSort: string): Page {
  const { start = '0', count = '15', sort = defaultSort } = r.query
  if (!/^\d+$/.test(start)) return { status: 400, body: badRequest(r.url, 'start', start) }
  if (!/^\d+$/.test(count) || Number(count) > 100) {
    return { status: 400, body: badRequest(r.url, 'count', count, 'Should have a number count (between 0 and 100)') }
  }
  if (!sorts.includes(sort.replace(/^-/, ''))) return { status: 400, body: badRequest(r.url, 'sort', sort) }
  return { start: Number(start), count: Number(count), sort }
}

function isPage(p: Page): p is { start: number; count: number; sort: string } {
  return 'start' in p
}

function sortBy<T extends { id?: number }>(items: T[], sort: string): T[] {
  const key = sort.replace(/^-/, '') as keyof T
  const dir = sort.startsWith('-') ? -1 : 1
  return [...items].sort((a, b) => {
    const x = a[key] as unknown as string | number
    const y = b[key] as unknown as string | number
    if (x !== y) return (x < y ? -1 : 1) * dir
    return ((a.id ?? 0) - (b.id ?? 0)) * dir
  })
}

function result<T>(r: FakeRequest, all: T[], p: { start: number; count: number }, format: (t: T) => unknown): FakeResponse {
  const data = all.slice(p.start, p.start + p.count).map(format)
  return { status: 200, body: r.query.skipCount === 'true' ? { data } : { total: all.length, data } }
}

const VIDEO_SORTS = ['name', 'duration', 'createdAt', 'publishedAt', 'originallyPublishedAt', 'views', 'likes', 'trending', 'hot', 'best']

function listVideos(instance: FakeInstance, ctx: FormatContext, r: FakeRequest): FakeResponse {
  const { spec } = instance
  const p = page(r, VIDEO_SORTS, '-publishedAt')
  if (!isPage(p)) return p
  const q = r.query
  let localOnly: boolean | null = null
  if (q.filter !== undefined) {
    // 6.0 removed the parameter and rejects it (commit a0606360).
    if (atLeast(spec.version, '6.0')) {
      return { status: 400, body: badRequest(r.url, 'filter', q.filter, 'filter query parameter is not supported anymore') }
    }
    if (q.filter === 'all-local' || q.filter === 'all') return { status: 401, body: problem(r.url, 401, 'You are not allowed to see all videos.') }
    if (q.filter !== 'local') return { status: 400, body: badRequest(r.url, 'filter', q.filter) }
    localOnly = true
  }
  // isLocal arrived in 4.0; older versions silently ignore it.
  if (q.isLocal !== undefined && atLeast(spec.version, '4.0')) {
    if (q.isLocal !== 'true' && q.isLocal !== 'false') return { status: 400, body: badRequest(r.url, 'isLocal', q.isLocal) }
    localOnly = q.isLocal === 'true'
  }
  const nsfw = q.nsfw ?? ((spec.nsfwPolicy ?? 'do_not_list') === 'do_not_list' ? 'false' : 'both')
  if (!['both', 'true', 'false'].includes(nsfw)) return { status: 400, body: badRequest(r.url, 'nsfw', nsfw) }
  const local = (spec.videos ?? []).map((v) => ({ ...v, host: v.host ?? instance.host }))
  const remote = spec.remoteVideos ?? []
  let all = localOnly === true && !spec.leaksRemote ? local : localOnly === false ? remote : [...local, ...remote]
  all = all.filter((v) => v.privacy === 1 && v.state === 1 && (nsfw === 'both' || v.nsfw === (nsfw === 'true')))
  return result(r, sortBy(all, p.sort), p, (v) => videoListItem(ctx, v))
}

function listChannels(instance: FakeInstance, ctx: FormatContext, r: FakeRequest): FakeResponse {
  const p = page(r, ['id', 'name', 'updatedAt', 'createdAt'], '-createdAt')
  if (!isPage(p)) return p
  return result(r, sortBy(instance.spec.channels ?? [], p.sort), p, (c) => fullChannel(ctx, c))
}

function listPlaylists(instance: FakeInstance, ctx: FormatContext, r: FakeRequest): FakeResponse {
  const p = page(r, ['name', 'displayName', 'createdAt', 'updatedAt'], '-createdAt')
  if (!isPage(p)) return p
  const type = r.query.playlistType
  if (type !== undefined && type !== '1' && type !== '2') return { status: 400, body: badRequest(r.url, 'playlistType', type) }
  // Anonymous listings only ever contain public, regular playlists (watch-later lists are always private).
  const all = (instance.spec.playlists ?? []).filter((pl) => pl.privacy === 1 && pl.type === 1 && (type === undefined || pl.type === Number(type)))
  return result(r, sortBy(all, p.sort), p, (pl) => playlistItem(ctx, pl))
}

function expectedContent(instance: FakeInstance) {
  const { spec, host } = instance
  const local = <T extends { host?: string }>(x: T) => x.host === undefined || x.host === host
  return {
    videos: (spec.videos ?? []).filter((v) => local(v) && v.privacy === 1 && v.state === 1),
    channels: (spec.channels ?? []).filter(local),
    playlists: (spec.playlists ?? []).filter((p) => local(p) && p.privacy === 1 && p.type === 1),
  }
}
