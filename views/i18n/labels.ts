// Labels of PeerTube's constants (shared/docs/peertube-api-contract.md §5): categories and licences come from the
// catalogues (keys category.N and licence.N), language names from the runtime's Intl. Instances may add their own
// ids through plugins, so an id we do not know keeps the label the instance sent.
import type { MessageKey, Translate } from './catalogue.ts'

/** Category ids in the order filters list them (PeerTube's own). */
export const CATEGORY_IDS: readonly number[] = Array.from({ length: 18 }, (_, i) => i + 1)
/** Licence ids in the order filters list them. */
export const LICENCE_IDS: readonly number[] = Array.from({ length: 9 }, (_, i) => i + 1)

/** Languages offered by the language filter: the ones most used on PeerTube, plus "no linguistic content". */
export const LANGUAGE_CHOICES: readonly string[] = [
  'ar', 'br', 'ca', 'cs', 'da', 'de', 'el', 'en', 'eo', 'es', 'et', 'eu', 'fa', 'fi', 'fr', 'ga', 'gd', 'gl', 'he',
  'hi', 'hr', 'hu', 'id', 'is', 'it', 'ja', 'kab', 'ko', 'la', 'lt', 'lv', 'nl', 'no', 'oc', 'pl', 'pt', 'pt-PT',
  'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'sw', 'th', 'tok', 'tr', 'uk', 'vi', 'zh-Hans', 'zh-Hant', 'zxx',
]

/** Label lookups for one interface language. */
export type Labels = {
  category(id: number | null, fallback?: string | null): string | null
  licence(id: number | null, fallback?: string | null): string | null
  language(id: string | null, fallback?: string | null): string | null
}

/** Whether a string is a language tag a `lang` attribute may carry. */
export function isLanguageTag(id: string | null | undefined): id is string {
  if (!id) return false
  try {
    return Intl.getCanonicalLocales(id).length === 1
  } catch {
    return false
  }
}

// Language names remembered per interface language.
const MAX_KNOWN = 2000

/** Builds the label lookups of a language. */
export function labelsFor(locale: string, t: Translate): Labels {
  const names = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' })
  const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase(locale) + s.slice(1)
  const known = new Map<string, string | null>()
  return {
    category: (id, fallback) => (id !== null && CATEGORY_IDS.includes(id) ? t(`category.${id}` as MessageKey) : fallback || null),
    licence: (id, fallback) => (id !== null && LICENCE_IDS.includes(id) ? t(`licence.${id}` as MessageKey) : fallback || null),
    language: (id, fallback) => {
      if (!id) return fallback || null
      let name = known.get(id)
      if (name === undefined) {
        try {
          name = names.of(id)
        } catch {
          // A plugin-defined id that is not a valid language tag: keep the instance's label.
        }
        name = name ? capitalise(name) : null
        // Ids come from instances: a bounded memo, as a page names the same few languages many times.
        if (known.size < MAX_KNOWN) known.set(id, name)
      }
      return name ?? (fallback || id)
    },
  }
}
