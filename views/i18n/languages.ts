// The interface languages: every catalogue file found, ready to translate. Built once at startup.
import { parseCatalogue, REFERENCE_LOCALE, translators, type RichTranslate, type Translate } from './catalogue.ts'
import { labelsFor, type Labels } from './labels.ts'

/** One interface language, ready to use. */
export type Language = {
  /** Its tag, the catalogue's file name: `en`, `fr`, `pt`… */
  locale: string
  /** Its own name for itself ("Deutsch"), shown in the language switch. */
  name: string
  t: Translate
  rich: RichTranslate
  labels: Labels
}

/**
 * Builds the languages from catalogue files (tag → JSON text), the reference language first, the others in the
 * order of their own names. Throws, naming the file and key, if a catalogue does not parse.
 */
export function buildLanguages(files: Record<string, string>): Language[] {
  const referenceFile = files[REFERENCE_LOCALE]
  if (referenceFile === undefined) throw new Error(`no ${REFERENCE_LOCALE}.json catalogue`)
  const reference = parseCatalogue(REFERENCE_LOCALE, referenceFile)
  const languages = Object.entries(files).map(([locale, json]): Language => {
    const { t, rich } = translators(locale === REFERENCE_LOCALE ? reference : parseCatalogue(locale, json), reference)
    return { locale, name: t('languageName'), t, rich, labels: labelsFor(locale, t) }
  })
  const rest = languages.filter((l) => l.locale !== REFERENCE_LOCALE).sort((a, b) => a.name.localeCompare(b.name, 'en'))
  return [languages.find((l) => l.locale === REFERENCE_LOCALE)!, ...rest]
}
