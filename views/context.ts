import type { Config } from '../src/config/config.ts'
import type { Formats, Locale } from '../src/http/ui/i18n.ts'
import type { Labels } from '../src/http/ui/labels.ts'
import type { Messages } from '../src/http/ui/messages/en.ts'

/** A query string as a list of pairs, so repeated keys keep their order. */
export type Params = [string, string][]

/** Everything a page needs besides its own data: language, formatting, site identity, links. */
export type PageContext = {
  locale: Locale
  t: Messages
  fmt: Formats
  labels: Labels
  site: Config['site']
  assets: { css: string; js: string; logo: string }
  /** The interface language when the visitor chose it with ?lang= (carried through links and forms), else null. */
  explicitLocale: Locale | null
  /** An internal link that keeps an explicitly chosen interface language. */
  link(path: string, params?: Params): string
  /** The current page in each interface language, for the language switch. */
  languageLinks: { locale: Locale; name: string; href: string; current: boolean }[]
}
