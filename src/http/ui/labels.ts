// Translated labels for PeerTube's constants (shared/docs/peertube-api-contract.md §5). Instances may add their own
// ids through plugins, so an id we do not know keeps the label the instance sent.
import type { Locale } from './i18n.ts'

const CATEGORIES: Record<Locale, Record<number, string>> = {
  en: {
    1: 'Music', 2: 'Films', 3: 'Vehicles', 4: 'Art', 5: 'Sports', 6: 'Travels', 7: 'Gaming', 8: 'People',
    9: 'Comedy', 10: 'Entertainment', 11: 'News & Politics', 12: 'How To', 13: 'Education', 14: 'Activism',
    15: 'Science & Technology', 16: 'Animals', 17: 'Kids', 18: 'Food',
  },
  fr: {
    1: 'Musique', 2: 'Films', 3: 'Véhicules', 4: 'Art', 5: 'Sports', 6: 'Voyages', 7: 'Jeux vidéo', 8: 'Personnes',
    9: 'Humour', 10: 'Divertissement', 11: 'Actualités et politique', 12: 'Tutoriels', 13: 'Éducation',
    14: 'Militantisme', 15: 'Sciences et technologies', 16: 'Animaux', 17: 'Enfants', 18: 'Cuisine',
  },
}

const LICENCES: Record<Locale, Record<number, string>> = {
  en: {
    1: 'Attribution (CC BY)',
    2: 'Attribution - Share Alike (CC BY-SA)',
    3: 'Attribution - No Derivatives (CC BY-ND)',
    4: 'Attribution - Non Commercial (CC BY-NC)',
    5: 'Attribution - Non Commercial - Share Alike (CC BY-NC-SA)',
    6: 'Attribution - Non Commercial - No Derivatives (CC BY-NC-ND)',
    7: 'Public Domain Dedication (CC0)',
    8: 'Free of known copyright restrictions (PDM)',
    9: 'All Rights Reserved',
  },
  fr: {
    1: 'Attribution (CC BY)',
    2: 'Attribution - Partage dans les mêmes conditions (CC BY-SA)',
    3: 'Attribution - Pas de modification (CC BY-ND)',
    4: "Attribution - Pas d'utilisation commerciale (CC BY-NC)",
    5: "Attribution - Pas d'utilisation commerciale - Partage dans les mêmes conditions (CC BY-NC-SA)",
    6: "Attribution - Pas d'utilisation commerciale - Pas de modification (CC BY-NC-ND)",
    7: 'Domaine public (CC0)',
    8: 'Libre de restrictions connues (PDM)',
    9: 'Tous droits réservés',
  },
}

/** Languages offered by the language filter: the ones most used on PeerTube, plus "no linguistic content". */
export const LANGUAGE_CHOICES: readonly string[] = [
  'ar', 'br', 'ca', 'cs', 'da', 'de', 'el', 'en', 'eo', 'es', 'et', 'eu', 'fa', 'fi', 'fr', 'ga', 'gd', 'gl', 'he',
  'hi', 'hr', 'hu', 'id', 'is', 'it', 'ja', 'kab', 'ko', 'la', 'lt', 'lv', 'nl', 'no', 'oc', 'pl', 'pt', 'pt-PT',
  'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'sw', 'th', 'tok', 'tr', 'uk', 'vi', 'zh-Hans', 'zh-Hant', 'zxx',
]

/** Category and licence ids in the order filters list them. */
export const CATEGORY_IDS: readonly number[] = Object.keys(CATEGORIES.en).map(Number)
/** Licence ids in the order filters list them. */
export const LICENCE_IDS: readonly number[] = Object.keys(LICENCES.en).map(Number)

/** Label lookups for one interface language. */
export type Labels = {
  category(id: number | null, fallback?: string | null): string | null
  licence(id: number | null, fallback?: string | null): string | null
  language(id: string | null, fallback?: string | null): string | null
}

/** Builds the label lookups of a language. */
export function labelsFor(locale: Locale): Labels {
  const names = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' })
  const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase(locale) + s.slice(1)
  return {
    category: (id, fallback) => (id !== null && CATEGORIES[locale][id]) || fallback || null,
    licence: (id, fallback) => (id !== null && LICENCES[locale][id]) || fallback || null,
    language: (id, fallback) => {
      if (!id) return fallback || null
      let name: string | undefined
      try {
        name = names.of(id)
      } catch {
        // A plugin-defined id that is not a valid language tag: keep the instance's label.
      }
      return name ? capitalise(name) : fallback || id
    },
  }
}
