// PeerTube JSON as each version writes it (shared/docs/peertube-api-contract.md §2 and §3.8, shapes checked
// against shared/fixtures/real/, copied in test/fixtures/). Version switches:
//   <4.2 a single `avatar` object (no width); 4.2–5.x `avatar` + `avatars[]`; 6.0+ `avatars[]` only;
//   7.1+ `fileUrl` on images; 8.0+ `height`; `url` in video list items from 4.0; `shortUUID` from 3.4;
//   `truncatedDescription` and full details description from 5.0 (before: `descriptionPath`);
//   `viewers` 4.0+, `aspectRatio` 6.1+, `commentsPolicy` 6.2+, `comments`/`nsfwFlags`/`nsfwSummary` 7.2+.
import type { FakeActorRef, FakeChannel, FakePlaylist, FakeVideo } from './types.ts'
import { CATEGORIES, LANGUAGES, LICENCES, PLAYLIST_PRIVACIES, PLAYLIST_TYPES, PRIVACIES, STATES, labelled } from './labels.ts'
import { uuidFrom } from './random.ts'
import { shortUuid } from '../../src/short-uuid.ts'

/** Who is answering: the serving instance's version and address. */
export type FormatContext = { version: string; host: string; origin: string }

/** True when `version` (e.g. '5.2.1') is at least `min` (e.g. '4.2'). */
export function atLeast(version: string, min: string): boolean {
  const a = version.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0)
  const b = min.split('.').map(Number)
  for (let i = 0; i < b.length; i++) {
    if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i]!
  }
  return true
}

function staticPrefix(ctx: FormatContext): string {
  return atLeast(ctx.version, '4.0') ? '/lazy-static' : '/static'
}

/** The origin of a host as the fake federation serves it (fake instances are plain http on 127.0.0.1). */
export function originOf(host: string): string {
  return host.startsWith('127.0.0.1') || host.startsWith('localhost') ? `http://${host}` : `https://${host}`
}

const STAMP = '2023-06-14T07:42:54.335Z'

function images(ctx: FormatContext, kind: 'avatars' | 'banners', host: string, name: string, widths: number[]) {
  return widths.map((width) => {
    const path = `${staticPrefix(ctx)}/${kind}/${uuidFrom(`${kind}:${host}:${name}:${width}`)}.${kind === 'avatars' ? 'png' : 'jpg'}`
    const image: Record<string, unknown> = { width, path }
    if (atLeast(ctx.version, '8.0')) image.height = width === 1920 ? 317 : width
    // Like real instances, remote actors' files are served from the answering instance's cache.
    if (atLeast(ctx.version, '7.1')) image.fileUrl = ctx.origin + path
    image.createdAt = STAMP
    image.updatedAt = STAMP
    return image
  })
}

// The avatar fields of an actor, in the dialect of the version.
function avatarFields(ctx: FormatContext, host: string, name: string): Record<string, unknown> {
  if (!atLeast(ctx.version, '4.2')) {
    const [first] = images(ctx, 'avatars', host, name, [120])
    const { width: _w, ...avatar } = first!
    return { avatar }
  }
  const avatars = images(ctx, 'avatars', host, name, [48, 120])
  return atLeast(ctx.version, '6.0') ? { avatars } : { avatars, avatar: avatars[0] }
}

function bannerFields(ctx: FormatContext, host: string, name: string): Record<string, unknown> {
  if (!atLeast(ctx.version, '4.2')) return {}
  return { banners: images(ctx, 'banners', host, name, [1920]) }
}

// Instance-local ids for actors: stable per name so that summaries and full objects agree.
function actorId(host: string, name: string): number {
  return (Number.parseInt(uuidFrom(`${host}/${name}`).slice(0, 6), 16) % 9000) + 2
}

/** An AccountSummary (or, with `kind: 'video-channels'`, a VideoChannelSummary). */
export function actorSummary(ctx: FormatContext, ref: FakeActorRef, host: string, kind: 'accounts' | 'video-channels') {
  return {
    id: actorId(host, `${kind}/${ref.name}`),
    displayName: ref.displayName,
    name: ref.name,
    url: `${originOf(host)}/${kind}/${ref.name}`,
    host,
    ...avatarFields(ctx, host, ref.name),
  }
}

/** A full Account, as embedded in video details and channels. */
export function fullAccount(ctx: FormatContext, ref: FakeActorRef, host: string) {
  const { id, displayName, name, url, host: h, ...avatar } = actorSummary(ctx, ref, host, 'accounts')
  return {
    url, name, host: h, ...avatar, id,
    hostRedundancyAllowed: false, followingCount: 0, followersCount: 3, createdAt: '2019-10-08T18:16:22.669Z',
    // Accounts carried an empty `banners` between 4.2 and 6.0 (fixture owntube__video-details__1.json).
    ...(atLeast(ctx.version, '4.2') && !atLeast(ctx.version, '6.0') ? { banners: [] } : {}),
    displayName, description: null, updatedAt: '2022-03-19T17:48:21.007Z',
    ...(host === ctx.host ? { userId: id } : {}),
  }
}

/** A VideoChannel, as listed by /api/v1/video-channels and embedded in video details. */
export function fullChannel(ctx: FormatContext, c: FakeChannel) {
  const host = c.host ?? ctx.host
  const s = actorSummary(ctx, c, host, 'video-channels')
  const { id, displayName, name, url, host: h, ...avatar } = s
  return {
    url, name, host: h, ...avatar, id: c.id ?? id,
    hostRedundancyAllowed: false, followingCount: c.followingCount, followersCount: c.followersCount,
    createdAt: c.createdAt, ...bannerFields(ctx, host, name),
    displayName, description: c.description, support: c.support, isLocal: host === ctx.host, updatedAt: c.updatedAt,
    ownerAccount: fullAccount(ctx, c.ownerAccount, host),
  }
}

function truncate(text: string | null, length = 250): string | null {
  if (text === null || text.length <= length) return text
  return text.slice(0, length - 3) + '...'
}

/** A Video as it appears in a listing (GET /api/v1/videos). */
export function videoListItem(ctx: FormatContext, v: FakeVideo) {
  const host = v.host ?? ctx.host
  const short = shortUuid(v.uuid)
  const has = (min: string) => atLeast(ctx.version, min)
  const out: Record<string, unknown> = { id: v.id, uuid: v.uuid }
  if (has('3.4')) out.shortUUID = short
  if (has('4.0')) out.url = `${originOf(host)}/videos/watch/${v.uuid}`
  Object.assign(out, {
    name: v.name,
    category: labelled(CATEGORIES, v.category),
    licence: labelled(LICENCES, v.licence),
    language: labelled(LANGUAGES, v.language),
    privacy: labelled(PRIVACIES, v.privacy),
    nsfw: v.nsfw,
  })
  if (has('7.2')) Object.assign(out, { nsfwFlags: v.nsfw ? 1 : 0, nsfwSummary: null })
  if (has('5.0')) out.truncatedDescription = truncate(v.description)
  out.description = truncate(v.description)
  Object.assign(out, { isLocal: host === ctx.host, duration: v.duration })
  if (has('6.1')) out.aspectRatio = v.aspectRatio
  out.views = v.views
  if (has('4.0')) out.viewers = v.viewers
  Object.assign(out, {
    likes: v.likes,
    dislikes: v.dislikes,
    thumbnailPath: `${staticPrefix(ctx)}/thumbnails/${uuidFrom('thumb:' + v.uuid)}.jpg`,
    previewPath: `${staticPrefix(ctx)}/previews/${v.uuid}.jpg`,
    embedPath: `/videos/embed/${has('3.4') ? short : v.uuid}`,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    publishedAt: v.publishedAt,
    originallyPublishedAt: v.originallyPublishedAt,
  })
  if (has('3.0')) out.isLive = v.isLive
  out.account = actorSummary(ctx, v.account, host, 'accounts')
  out.channel = actorSummary(ctx, v.channel, host, 'video-channels')
  if (has('7.2')) out.comments = v.comments
  return out
}

/** A VideoDetails (GET /api/v1/videos/{id}): full description from 5.0, tags, support, full account and channel. */
export function videoDetails(ctx: FormatContext, v: FakeVideo) {
  const host = v.host ?? ctx.host
  const has = (min: string) => atLeast(ctx.version, min)
  const out = videoListItem(ctx, v)
  if (has('5.0')) out.description = v.description
  out.account = fullAccount(ctx, v.account, host)
  out.channel = fullChannel(ctx, {
    ...v.channel, description: null, support: null, followersCount: 1, followingCount: 0,
    createdAt: v.createdAt, updatedAt: v.createdAt, ownerAccount: v.account, host,
  })
  if (has('7.0')) out.pluginData = {}
  Object.assign(out, { blacklisted: false, blacklistedReason: null, streamingPlaylists: [], files: [] })
  out.support = v.support
  if (!has('6.0')) out.descriptionPath = `/api/v1/videos/${v.uuid}/description`
  out.tags = v.tags
  if (!has('8.0')) out.commentsEnabled = true
  if (has('6.2')) Object.assign(out, { commentsPolicy: { id: 1, label: 'Enabled' }, inputFileUpdatedAt: null })
  Object.assign(out, {
    downloadEnabled: true,
    waitTranscoding: true,
    state: labelled(STATES, v.state),
    trackerUrls: [`${ctx.origin}/tracker/announce`, `ws://${ctx.host}/tracker/socket`],
  })
  return out
}

/** A VideoPlaylist as listed by /api/v1/video-playlists. */
export function playlistItem(ctx: FormatContext, p: FakePlaylist) {
  const host = p.host ?? ctx.host
  const has = (min: string) => atLeast(ctx.version, min)
  const short = shortUuid(p.uuid)
  const out: Record<string, unknown> = { id: p.id, uuid: p.uuid }
  if (has('3.4')) out.shortUUID = short
  const thumbnailPath = `${staticPrefix(ctx)}/thumbnails/playlist-${uuidFrom('pl:' + p.uuid)}.jpg`
  Object.assign(out, {
    isLocal: host === ctx.host,
    url: `${originOf(host)}/video-playlists/${p.uuid}`,
    displayName: p.displayName,
    description: p.description,
    privacy: labelled(PLAYLIST_PRIVACIES, p.privacy),
    thumbnailPath,
    embedPath: `/video-playlists/embed/${has('3.4') ? short : p.uuid}`,
    type: labelled(PLAYLIST_TYPES, p.type),
    videosLength: p.videosLength,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    ownerAccount: actorSummary(ctx, p.ownerAccount, host, 'accounts'),
    videoChannel: p.channel ? actorSummary(ctx, p.channel, host, 'video-channels') : null,
  })
  if (has('8.0')) out.videoChannelPosition = p.channel ? 1 : null
  if (has('8.1')) out.thumbnails = [{ width: 280, height: 157, fileUrl: ctx.origin + thumbnailPath }]
  return out
}

/** GET /api/v1/config, trimmed to the blocks a crawler or client reads (shape of fjernsyn__config__1.json). */
export function serverConfig(ctx: FormatContext, name: string, nsfwPolicy: string) {
  return {
    instance: {
      name,
      shortDescription: `${name}, a fake PeerTube instance for Sepia's tests.`,
      isNSFW: false,
      defaultNSFWPolicy: nsfwPolicy,
      defaultClientRoute: '/videos/trending',
      customizations: { javascript: '', css: '' },
      ...(atLeast(ctx.version, '6.0') ? { avatars: [], banners: [] } : {}),
    },
    search: {
      remoteUri: { users: true, anonymous: false },
      searchIndex: { enabled: false, url: '', disableLocalSearch: false, isDefaultSearch: false },
    },
    serverVersion: ctx.version,
    serverCommit: '',
    signup: { allowed: false, allowedForCurrentIP: false, requiresEmailVerification: false },
  }
}

/** A 400 in PeerTube's application/problem+json format (fixture fjernsyn__error-400-bad-sort__1.json). */
export function badRequest(url: string, param: string, value: unknown, msg = 'Invalid value') {
  const detail = `Incorrect request parameters: ${param}`
  return {
    type: 'about:blank',
    title: 'Bad Request',
    detail,
    instance: url,
    status: 400,
    'invalid-params': { [param]: { type: 'field', value, msg, path: param, location: 'query' } },
    docs: 'https://docs.joinpeertube.org/api-rest-reference.html',
    error: detail,
  }
}

/** Any other PeerTube error (404, 403, 500 …) in problem+json. */
export function problem(url: string, status: number, detail: string) {
  const titles: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' }
  return { type: 'about:blank', title: titles[status] ?? 'Error', detail, instance: url, status, error: detail }
}
