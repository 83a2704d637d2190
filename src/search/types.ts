// The contract between the search code and its two consumers, the JSON API and the HTML site.
// Output types mirror PeerTube's JSON (see shared/docs/peertube-api-contract.md §2); queries mirror its
// search parameters (§1.4–1.6) after validation.

/** An avatar or banner as PeerTube emits it (absolute fileUrl and url, relative path). */
export type ApiActorImage = {
  width: number
  height: number | null
  path: string
  fileUrl: string
  url: string
  createdAt: string | null
  updatedAt: string | null
}

/** PeerTube's AccountSummary / VideoChannelSummary. */
export type ApiActorSummary = {
  id: number
  name: string
  displayName: string
  url: string
  host: string
  avatars: ApiActorImage[]
  avatar: ApiActorImage | null
}

/** An `{id, label}` constant. */
export type ApiLabel<T> = { id: T | null; label: string }

/** A video search result, shaped like PeerTube's Video plus the index's `tags` and `score`. */
export type ApiVideo = {
  id: number
  uuid: string
  shortUUID: string
  url: string
  name: string
  category: ApiLabel<number>
  licence: ApiLabel<number>
  language: ApiLabel<string>
  privacy: ApiLabel<number>
  description: string | null
  truncatedDescription: string | null
  duration: number
  aspectRatio: number | null
  isLocal: boolean
  isLive: boolean
  thumbnailPath: string | null
  thumbnailUrl: string | null
  previewPath: string | null
  previewUrl: string | null
  embedPath: string | null
  embedUrl: string | null
  views: number
  likes: number
  dislikes: number
  comments: number
  viewers: number
  nsfw: boolean
  nsfwFlags: number
  nsfwSummary: string | null
  createdAt: string
  updatedAt: string
  publishedAt: string
  originallyPublishedAt: string | null
  account: ApiActorSummary
  channel: ApiActorSummary
  tags: string[]
  score: number
}

/** A channel search result, shaped like PeerTube's VideoChannel. */
export type ApiChannel = {
  id: number
  url: string
  name: string
  host: string
  displayName: string
  description: string | null
  support: string | null
  isLocal: boolean
  avatars: ApiActorImage[]
  avatar: ApiActorImage | null
  banners: ApiActorImage[]
  followersCount: number
  followingCount: number
  hostRedundancyAllowed: boolean
  createdAt: string
  updatedAt: string
  videosCount: number
  ownerAccount: ApiActorSummary
  score: number
}

/** A playlist search result, shaped like PeerTube's VideoPlaylist. */
export type ApiPlaylist = {
  id: number
  uuid: string
  shortUUID: string
  url: string
  displayName: string
  description: string | null
  isLocal: boolean
  privacy: ApiLabel<number>
  type: ApiLabel<number>
  videosLength: number
  thumbnailPath: string | null
  thumbnailUrl: string | null
  embedPath: string | null
  embedUrl: string | null
  createdAt: string
  updatedAt: string
  ownerAccount: ApiActorSummary
  videoChannel: ApiActorSummary | null
  score: number
}

/** A page of results: PeerTube's ResultList. */
export type ResultList<T> = { total: number; data: T[] }
