import type { Context } from 'hono'
import type { Config } from '../../config/config.ts'
import type { ImageLinks, PageContext, Params } from '../../../views/context.ts'
import { formatsFor } from '../../../views/i18n/formats.ts'
import type { Language } from '../../../views/i18n/languages.ts'
import { negotiateLocale } from './i18n.ts'

/** What every page of one site shares: identity, static files, languages, where pictures come from. */
export type SiteParts = {
  site: Config['site']
  assets: PageContext['assets']
  languages: Language[]
  images: ImageLinks
}

/** Appends a query string (and a fragment-free path) the same way everywhere. */
export function withQuery(path: string, params: Params): string {
  const qs = new URLSearchParams(params).toString()
  return qs ? `${path}?${qs}` : path
}

/** Builds the language, formatting and link helpers of one request. */
export function pageContext(c: Context, parts: SiteParts, now: number): PageContext {
  const locales = parts.languages.map((l) => l.locale)
  const langParam = c.req.query('lang')
  const explicitLocale = langParam && locales.includes(langParam) ? langParam : null
  const locale = negotiateLocale(locales, langParam, c.req.header('accept-language'))
  const language = parts.languages.find((l) => l.locale === locale)!
  const url = new URL(c.req.url)
  const current = [...url.searchParams].filter(([k]) => k !== 'lang')
  return {
    locale,
    t: language.t,
    rich: language.rich,
    fmt: formatsFor(locale, now),
    labels: language.labels,
    site: parts.site,
    assets: parts.assets,
    images: parts.images,
    explicitLocale,
    link: (path, params = []) => withQuery(path, explicitLocale ? [...params, ['lang', explicitLocale]] : params),
    // Each language names itself in the switch, so a visitor who cannot read the current one still finds theirs.
    languageLinks: parts.languages.map((l) => ({
      locale: l.locale,
      name: l.name,
      href: withQuery(url.pathname, [...current, ['lang', l.locale]]),
      current: l.locale === locale,
    })),
  }
}
