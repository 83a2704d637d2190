import type { Context } from 'hono'
import type { Config } from '../../config/config.ts'
import type { PageContext, Params } from '../../../views/context.ts'
import { formatsFor, isLocale, LOCALES, messagesFor, negotiateLocale, type Locale } from './i18n.ts'
import { labelsFor } from './labels.ts'

// Each language names itself in the switch, so a visitor who cannot read the current one still finds theirs.
const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' }

/** Appends a query string (and a fragment-free path) the same way everywhere. */
export function withQuery(path: string, params: Params): string {
  const qs = new URLSearchParams(params).toString()
  return qs ? `${path}?${qs}` : path
}

/** Builds the language, formatting and link helpers of one request. */
export function pageContext(c: Context, site: Config['site'], assets: PageContext['assets'], now: number): PageContext {
  const langParam = c.req.query('lang')
  const explicitLocale = isLocale(langParam) ? langParam : null
  const locale = negotiateLocale(langParam, c.req.header('accept-language'))
  const url = new URL(c.req.url)
  const current = [...url.searchParams].filter(([k]) => k !== 'lang')
  return {
    locale,
    t: messagesFor(locale),
    fmt: formatsFor(locale, now),
    labels: labelsFor(locale),
    site,
    assets,
    explicitLocale,
    link: (path, params = []) => withQuery(path, explicitLocale ? [...params, ['lang', explicitLocale]] : params),
    languageLinks: LOCALES.map((l) => ({
      locale: l,
      name: LOCALE_NAMES[l],
      href: withQuery(url.pathname, [...current, ['lang', l]]),
      current: l === locale,
    })),
  }
}
