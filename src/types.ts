// Domain types shared by the crawler (which produces them), src/db (which stores them) and src/search (which
// reads them back). Times are milliseconds since the epoch; URLs are absolute, on the origin instance.

/** An avatar or banner image as PeerTube describes it, normalised to carry an absolute fileUrl. */
export type ActorImage = {
  width: number
  height: number | null
  path: string
  fileUrl: string
  createdAt: string | null
  updatedAt: string | null
}

/** An account or channel as embedded in a video or playlist (PeerTube's AccountSummary / VideoChannelSummary). */
export type ActorSummary = {
  remoteId: number
  name: string
  displayName: string
  host: string
  url: string
  avatars: ActorImage[]
}

/** An `{id, label}` pair as PeerTube sends for category, licence and language. */
export type Labelled<T> = { id: T | null; label: string | null }

/** A public, local video of one instance, as the crawler hands it to the database. */
export type VideoRecord = {
  uuid: string
  shortUuid: string
  remoteId: number
  url: string
  name: string
  description: string | null
  truncatedDescription: string | null
  tags: string[]
  category: Labelled<number>
  licence: Labelled<number>
  language: Labelled<string>
  duration: number
  isLive: boolean
  nsfw: boolean
  nsfwFlags: number
  nsfwSummary: string | null
  aspectRatio: number | null
  views: number
  likes: number
  dislikes: number
  comments: number
  viewers: number
  thumbnailUrl: string | null
  previewUrl: string | null
  embedUrl: string | null
  createdAt: number
  updatedAt: number
  publishedAt: number
  originallyPublishedAt: number | null
  account: ActorSummary
  channel: ActorSummary
}

/** A local channel of one instance. */
export type ChannelRecord = {
  remoteId: number
  name: string
  host: string
  url: string
  displayName: string
  description: string | null
  support: string | null
  avatars: ActorImage[]
  banners: ActorImage[]
  followersCount: number
  followingCount: number
  createdAt: number
  updatedAt: number
  owner: ActorSummary
}

/** A local, public playlist of one instance. */
export type PlaylistRecord = {
  uuid: string
  shortUuid: string
  remoteId: number
  url: string
  displayName: string
  description: string | null
  typeId: number
  videosLength: number
  thumbnailUrl: string | null
  embedUrl: string | null
  createdAt: number
  updatedAt: number
  owner: ActorSummary
  channel: ActorSummary | null
}
