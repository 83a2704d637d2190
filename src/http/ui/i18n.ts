// Interface language and formatting. The language comes from an explicit `?lang=` parameter (carried through every
// link and form, so no cookie is needed) or else from Accept-Language; the browser's languages are also offered
// to the search as a ranking hint (boostLanguages), never as a filter.
import { en, type Messages } from './messages/en.ts'
import { fr } from './messages/fr.ts'

/** The interface languages, in the order the language switch shows them. */
export const LOCALES = ['en', 'fr'] as const

/** An interface language. */
export type Locale = (typeof LOCALES)[number]

const CATALOGUES: Record<Locale, Messages> = { en, fr }

/** The message catalogue of a language. */
export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale]
}

/** Whether a string names an interface language. */
export function isLocale(value: string | undefined): value is Locale {
  return (LOCALES as readonly string[]).includes(value ?? '')
}

/** The language tags of an Accept-Language header, best first (q=0 entries dropped, at most 8 kept). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return []
  const entries: { tag: string; q: number; index: number }[] = []
  for (const [index, part] of header.split(',').slice(0, 32).entries()) {
    const [rawTag, ...params] = part.trim().split(';')
    const tag = rawTag?.trim() ?? ''
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) continue
    let q = 1
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)
      if (m) q = Number(m[1])
    }
    if (!(q > 0)) continue
    entries.push({ tag, q, index })
  }
  entries.sort((a, b) => b.q - a.q || a.index - b.index)
  return entries.slice(0, 8).map((e) => e.tag)
}

/** Picks the interface language: an explicit choice wins, then the first supported browser language, then English. */
export function negotiateLocale(explicit: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(explicit)) return explicit
  for (const tag of acceptedLanguages(acceptLanguage)) {
    const primary = tag.split('-')[0]!.toLowerCase()
    if (isLocale(primary)) return primary
  }
  return 'en'
}

// PeerTube language ids that carry a region or script; any other browser tag is reduced to its primary subtag.
const PEERTUBE_TAGGED_LANGUAGES = new Map(
  ['pt-PT', 'es-419', 'zh-Hans', 'zh-Hant', 'ca-valencia'].map((id) => [id.toLowerCase(), id]),
)

/** The browser's languages as PeerTube language ids, for the boostLanguages ranking hint. */
export function boostLanguagesFrom(acceptLanguage: string | undefined): string[] {
  const ids: string[] = []
  for (const tag of acceptedLanguages(acceptLanguage)) {
    const tagged = PEERTUBE_TAGGED_LANGUAGES.get(tag.toLowerCase())
    const primary = tag.split('-')[0]!.toLowerCase()
    for (const id of [tagged, primary]) {
      if (id && !ids.includes(id)) ids.push(id)
    }
  }
  return ids.slice(0, 8)
}

/** Number, date and duration formatting in one interface language. */
export type Formats = {
  number(n: number): string
  compact(n: number): string
  date(iso: string | number): string
  ago(iso: string | number): string
  duration(seconds: number): string
}

/** Builds the formatters of a language; `now` anchors relative dates ("3 days ago"). */
export function formatsFor(locale: Locale, now: number): Formats {
  const number = new Intl.NumberFormat(locale)
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 })
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const toMs = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v))
  return {
    number: (n) => number.format(n),
    compact: (n) => compact.format(n),
    date: (v) => {
      const ms = toMs(v)
      return Number.isFinite(ms) ? date.format(ms) : ''
    },
    ago: (v) => {
      const ms = toMs(v)
      if (!Number.isFinite(ms)) return ''
      const seconds = Math.round((ms - now) / 1000)
      const abs = Math.abs(seconds)
      const units: [Intl.RelativeTimeFormatUnit, number][] = [
        ['year', 365 * 86400],
        ['month', 30 * 86400],
        ['week', 7 * 86400],
        ['day', 86400],
        ['hour', 3600],
        ['minute', 60],
      ]
      for (const [unit, size] of units) {
        if (abs >= size) return relative.format(Math.trunc(seconds / size), unit)
      }
      return relative.format(0, 'minute')
    },
    duration: (total) => {
      const s = Math.max(0, Math.floor(total))
      const h = Math.floor(s / 3600)
      const m = Math.floor((s % 3600) / 60)
      const sec = String(s % 60).padStart(2, '0')
      return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
    },
  }
}
