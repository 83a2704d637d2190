// A fake PeerTube federation for tests: several instances and a JoinPeerTube-style hosts list, each a real HTTP
// server on 127.0.0.1. Search, site and crawler tests all build on it (see test/helpers/crawled.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig, type Config } from '../../src/config/config.ts'
import { closeServer, fakeRequest, listen, send, startFakeInstance, type FakeInstance } from './instance.ts'
import { createFactories } from './factories.ts'
import { standardFederation } from './standard.ts'
import type { FakeChannel, FakeInstanceSpec, FakePlaylist, FakeRequest, FakeVideo } from './types.ts'

export type { FakeActorRef, FakeChannel, FakeInstanceSpec, FakePlaylist, FakeRequest, FakeResponse, FakeVideo } from './types.ts'
export type { FakeInstance } from './instance.ts'
export { standardFederation } from './standard.ts'
export { DEFAULT_ACCOUNT, DEFAULT_CHANNEL } from './factories.ts'

// One sequence for the whole test file (each test file runs in its own process), so ids are reproducible.
const make = createFactories(0x5e91a)

/** A public, published, local video with deterministic defaults; any field can be overridden. */
export function fakeVideo(overrides: Partial<FakeVideo> & { name: string }): FakeVideo {
  return make.video(overrides)
}

/** Edits a video as its owner would, moving `updatedAt` forward one minute so crawlers notice the change. */
export function editFakeVideo(video: FakeVideo, changes: Partial<FakeVideo>): FakeVideo {
  const updatedAt = new Date(Date.parse(video.updatedAt) + 60_000).toISOString()
  return Object.assign(video, { updatedAt }, changes)
}

/** A local channel with deterministic defaults (set `host` to make it a remote one). */
export function fakeChannel(overrides: Partial<FakeChannel> & { name: string }): FakeChannel {
  return make.channel(overrides)
}

/** A local, public, regular playlist with deterministic defaults (set `host` to make it a remote one). */
export function fakePlaylist(overrides: Partial<FakePlaylist> & { displayName: string }): FakePlaylist {
  return make.playlist(overrides)
}

/** The fake JoinPeerTube hosts list: edit `hosts` to add or remove instances, `failWith` to break it. */
export type FakeHostsList = {
  hosts: string[]
  failWith: number | null
  /** The most hosts one page answers, whatever `count` asks (real servers cap it too). */
  pageSize: number
  requests: FakeRequest[]
}

/** A running fake federation. */
export type FakeFederation = {
  instances: FakeInstance[]
  /** URL of the hosts list (JoinPeerTube format, paged with start/count). */
  listUrl: string
  list: FakeHostsList
  /** A temporary directory removed by close(); the default database lives there. */
  dir: string
  /** A Sepia configuration for this federation (http, private addresses allowed, fast pacing, temp database). */
  config(overrides?: ConfigOverrides): Config
  /** The same configuration written as a JSON file in `dir` (for running the real CLI); returns its path. */
  configFile(overrides?: ConfigOverrides, name?: string): string
  close(): Promise<void>
}

/** Nested partial configuration, merged over the federation's test defaults. */
export type ConfigOverrides = { [key: string]: unknown }

/** Starts fake instances (default: the standard 3-instance federation) and a hosts list that names them all. */
export async function startFakeFederation(specs: FakeInstanceSpec[] = standardFederation()): Promise<FakeFederation> {
  const instances = await Promise.all(specs.map((spec) => startFakeInstance(spec)))
  const list: FakeHostsList = { hosts: instances.map((i) => i.host), failWith: null, pageSize: 1000, requests: [] }
  const listServer = createServer((req, res) => {
    const r = fakeRequest(req)
    list.requests.push(r)
    if (list.failWith) return send(res, { status: list.failWith, body: { error: 'fake failure' } })
    if (r.path !== '/api/v1/instances/hosts') return send(res, { status: 404, body: { error: 'Not found' } })
    const start = Number(r.query.start ?? 0)
    const count = Math.min(Number(r.query.count ?? 20), list.pageSize)
    const data = list.hosts.slice(start, start + count).map((host) => ({ host, createdAt: '2024-01-01T00:00:00.000Z' }))
    send(res, { status: 200, body: { total: list.hosts.length, data } })
  })
  const listPort = await listen(listServer)
  const dir = mkdtempSync(join(tmpdir(), 'sepia-test-'))
  const listUrl = `http://127.0.0.1:${listPort}/api/v1/instances/hosts`
  return {
    instances,
    listUrl,
    list,
    dir,
    config: (overrides = {}) => parseConfig(merge(testConfig(dir, listUrl), overrides)),
    configFile: (overrides = {}, name = 'sepia.config.json') => {
      const raw = merge(testConfig(dir, listUrl), overrides)
      parseConfig(raw) // fail here, not in the child process, if a test wrote a bad override
      const path = join(dir, name)
      writeFileSync(path, JSON.stringify(raw, null, 2))
      return path
    },
    close: async () => {
      await Promise.all([...instances.map((i) => i.close()), closeServer(listServer)])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function testConfig(dir: string, listUrl: string): ConfigOverrides {
  return {
    database: { path: join(dir, 'sepia.db') },
    instances: { listUrl, hosts: [], blocked: [] },
    crawl: {
      useHttp: true,
      allowPrivateAddresses: true,
      concurrency: 4,
      perHostConcurrency: 1,
      perHostRequestsPerSecond: 1000,
      timeoutMs: 5000,
      maxRetries: 2,
      maxRetryDelayMs: 50,
      retryBaseDelayMs: 5,
      // A host that fails is given up on after its retries, as soon as they are spent (tests of the sustained
      // failure window set their own).
      failAfterMinutes: 0,
    },
    site: { name: 'Sepia (test)', imageCacheDir: join(dir, 'images') },
  }
}

function merge(base: ConfigOverrides, over: ConfigOverrides): ConfigOverrides {
  const out: ConfigOverrides = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key]
    out[key] = isPlainObject(prev) && isPlainObject(value) ? merge(prev, value) : value
  }
  return out
}

function isPlainObject(x: unknown): x is ConfigOverrides {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}
