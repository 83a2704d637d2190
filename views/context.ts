import type { Config } from '../src/config/config.ts'
import type { ApiActorImage, ApiPlaylist, ApiVideo } from '../src/search/types.ts'
import type { RichTranslate, Translate } from './i18n/catalogue.ts'
import type { Formats } from './i18n/formats.ts'
import type { Labels } from './i18n/labels.ts'

/** A query string as a list of pairs, so repeated keys keep their order. */
export type Params = [string, string][]

/**
 * Where result pictures load from: the gateway's own image proxy (site.proxyImages) or the instances. Null when
 * there is no usable picture.
 */
export type ImageLinks = {
  /** Whether pictures come from this site (so visitors' browsers contact no instance). */
  proxied: boolean
  videoThumbnail(v: ApiVideo): string | null
  playlistThumbnail(p: ApiPlaylist): string | null
  /** The avatar of a video's channel, at least `size` pixels wide when the instance has one. */
  videoChannelAvatar(v: ApiVideo, size: number): string | null
  /** The avatar of a channel result. */
  channelAvatar(c: { name: string; host: string; avatars: ApiActorImage[] }, size: number): string | null
}

/** Everything a page needs besides its own data: language, formatting, site identity, links. */
export type PageContext = {
  locale: string
  t: Translate
  rich: RichTranslate
  fmt: Formats
  labels: Labels
  site: Config['site']
  assets: { css: string; js: string; logo: string }
  images: ImageLinks
  /** The interface language when the visitor chose it with ?lang= (carried through links and forms), else null. */
  explicitLocale: string | null
  /** An internal link that keeps an explicitly chosen interface language. */
  link(path: string, params?: Params): string
  /** The current page in each interface language, for the language switch. */
  languageLinks: { locale: string; name: string; href: string; current: boolean }[]
}
