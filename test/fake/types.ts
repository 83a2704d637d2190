// The data a fake PeerTube instance serves. Tests build these with fakeVideo/fakeChannel/fakePlaylist
// (federation.ts) and may edit them between two crawls: the fake reads them on every request.
import type { ServerResponse } from 'node:http'

/** An account or channel as a video, channel or playlist refers to it. */
export type FakeActorRef = { name: string; displayName: string }

/** A video, with every field a PeerTube listing or details response is built from. */
export type FakeVideo = {
  uuid: string
  name: string
  /** The full description (details); listings show it truncated to 250 characters. */
  description: string | null
  support: string | null
  tags: string[]
  category: number | null
  licence: number | null
  language: string | null
  /** 1 Public, 2 Unlisted, 3 Private, 4 Internal, 5 Password protected: anonymous listings show only 1. */
  privacy: number
  /** 1 Published; anything else is not listed. */
  state: number
  duration: number
  aspectRatio: number | null
  views: number
  likes: number
  dislikes: number
  comments: number
  viewers: number
  nsfw: boolean
  isLive: boolean
  createdAt: string
  /** Change it (or use editFakeVideo) when editing a video: crawlers re-fetch details when it moves. */
  updatedAt: string
  publishedAt: string
  originallyPublishedAt: string | null
  account: FakeActorRef
  channel: FakeActorRef
  /** The origin host of a federated (remote) video; unset means the serving instance itself. */
  host?: string
  /** The instance-local numeric id; assigned by the fake when unset. */
  id?: number
}

/** A video channel (local, or remote when `host` is set). */
export type FakeChannel = {
  name: string
  displayName: string
  description: string | null
  support: string | null
  followersCount: number
  followingCount: number
  createdAt: string
  updatedAt: string
  ownerAccount: FakeActorRef
  host?: string
  id?: number
}

/** A playlist (local, or remote when `host` is set). */
export type FakePlaylist = {
  uuid: string
  displayName: string
  description: string | null
  /** 1 Public, 2 Unlisted, 3 Private: listings show only 1. */
  privacy: number
  /** 1 Regular, 2 Watch later (never listed). */
  type: number
  videosLength: number
  createdAt: string
  updatedAt: string
  ownerAccount: FakeActorRef
  channel: FakeActorRef | null
  host?: string
  id?: number
}

/** A request as the fake received it, and when (Date.now()). */
export type FakeRequest = { method: string; path: string; query: Record<string, string>; url: string; at: number }

/** A canned answer a test can substitute for the fake's own (see FakeInstanceSpec.respond). */
export type FakeResponse = {
  status: number
  /** Sent as JSON unless `raw` is given. */
  body?: unknown
  raw?: string | Buffer
  headers?: Record<string, string>
  /** Destroy the socket instead of answering (a network error on the client side). */
  hangUp?: boolean
  /** Write the answer yourself, or never (socket-level misbehaviour: endless or dripping bodies, silence). */
  takeOver?: (res: ServerResponse) => void
}

/** One fake instance: its version decides the API dialect it speaks (see format.ts). */
export type FakeInstanceSpec = {
  name?: string
  /** serverVersion, e.g. '3.2.1', '5.2.1', '8.2.3'. */
  version: string
  videos?: FakeVideo[]
  /** Videos federated from other instances: listed without a local filter, never to be indexed. */
  remoteVideos?: FakeVideo[]
  /** Local channels, and remote ones (with `host`). */
  channels?: FakeChannel[]
  /** Local playlists, and remote ones (with `host`). */
  playlists?: FakePlaylist[]
  /** The instance's default NSFW policy for anonymous listings without `nsfw`. Default 'do_not_list'. */
  nsfwPolicy?: 'do_not_list' | 'blur' | 'display'
  /** Answer every request with this HTTP status (a broken instance). */
  failWith?: number
  /** Wait this long before each answer, so concurrent requests overlap and can be measured. */
  latencyMs?: number
  /** Misbehave: return federated videos even when asked for local ones (the crawler must post-filter). */
  leaksRemote?: boolean
  /**
   * PeerTube's API rate limiter (express-rate-limit's memory store, as PeerTube configures it: 50 requests per 10 s
   * by default): a fixed window per client that starts with its first request, X-RateLimit-Limit / -Remaining /
   * -Reset (Unix seconds) on every /api/ answer, and 429 with Retry-After beyond the limit. Tests scale it down.
   */
  rateLimit?: { limit: number; windowMs: number }
  /** Consulted before the fake's own routing; return a response to override it, or undefined to fall through. */
  respond?: (req: FakeRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>
}
