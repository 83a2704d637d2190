// Result objects shaped exactly like the search code's output, for tests that render views directly.
import type { ApiActorSummary, ApiChannel, ApiPlaylist, ApiVideo } from '../../src/search/types.ts'

/** An actor summary on `host`, with one avatar served from `imageBase`. */
export function sampleActor(name: string, host: string, imageBase: string): ApiActorSummary {
  const avatar = {
    width: 120, height: 120, path: `/lazy-static/avatars/${name}.png`, fileUrl: `${imageBase}/avatars/${name}.svg`,
    url: `${imageBase}/avatars/${name}.svg`, createdAt: null, updatedAt: null,
  }
  return { id: 1, name, displayName: name.replace(/_/g, ' '), url: `https://${host}/c/${name}`, host, avatars: [avatar], avatar }
}

let n = 0

/** A video result; every field can be overridden. */
export function sampleVideo(overrides: Partial<ApiVideo> & { name: string }, imageBase = 'https://img.example'): ApiVideo {
  n++
  const host = overrides.account?.host ?? 'videos.example.org'
  const uuid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
  return {
    id: n, uuid, shortUUID: `short${n}`, url: `https://${host}/videos/watch/${uuid}`,
    category: { id: 15, label: 'Science & Technology' }, licence: { id: 1, label: 'Attribution' },
    language: { id: 'en', label: 'English' }, privacy: { id: 1, label: 'Public' },
    description: 'A calm walk through the subject, with examples.', truncatedDescription: 'A calm walk through the subject, with examples.',
    duration: 754, aspectRatio: 1.7778, isLocal: false, isLive: false,
    thumbnailPath: `/lazy-static/thumbnails/${uuid}.jpg`, thumbnailUrl: `${imageBase}/thumbnails/${n}.svg`,
    previewPath: null, previewUrl: null, embedPath: `/videos/embed/${uuid}`, embedUrl: `https://${host}/videos/embed/${uuid}`,
    views: 1234, likes: 10, dislikes: 0, comments: 2, viewers: 0, nsfw: false, nsfwFlags: 0, nsfwSummary: null,
    createdAt: '2025-03-01T10:00:00.000Z', updatedAt: '2025-03-01T10:00:00.000Z', publishedAt: '2025-03-01T10:00:00.000Z',
    originallyPublishedAt: null,
    account: sampleActor('alice', host, imageBase), channel: sampleActor('alice_channel', host, imageBase),
    tags: ['science', 'howto'], score: 1,
    ...overrides,
  }
}

/** A channel result. */
export function sampleChannel(overrides: Partial<ApiChannel> & { name: string }, imageBase = 'https://img.example'): ApiChannel {
  const host = overrides.host ?? 'videos.example.org'
  const actor = sampleActor(overrides.name, host, imageBase)
  return {
    id: 1, url: `https://${host}/c/${overrides.name}`, host, displayName: actor.displayName,
    description: 'Short films and notes about them.', support: null, isLocal: false,
    avatars: actor.avatars, avatar: actor.avatar, banners: [], followersCount: 321, followingCount: 0,
    hostRedundancyAllowed: false, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z',
    videosCount: 42, ownerAccount: sampleActor('alice', host, imageBase), score: 1,
    ...overrides,
  }
}

/** A playlist result. */
export function samplePlaylist(overrides: Partial<ApiPlaylist> & { displayName: string }, imageBase = 'https://img.example'): ApiPlaylist {
  n++
  const host = overrides.ownerAccount?.host ?? 'videos.example.org'
  const uuid = `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`
  return {
    id: n, uuid, shortUUID: `pl${n}`, url: `https://${host}/w/p/${uuid}`, description: 'Everything in order.',
    isLocal: false, privacy: { id: 1, label: 'Public' }, type: { id: 1, label: 'Regular' }, videosLength: 12,
    thumbnailPath: null, thumbnailUrl: `${imageBase}/thumbnails/p${n}.svg`, embedPath: null, embedUrl: null,
    createdAt: '2024-05-01T00:00:00.000Z', updatedAt: '2025-02-01T00:00:00.000Z',
    ownerAccount: sampleActor('alice', host, imageBase), videoChannel: sampleActor('alice_channel', host, imageBase), score: 1,
    ...overrides,
  }
}
