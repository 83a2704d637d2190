// Interface languages: negotiation, and the catalogues in views/i18n/ (every one complete, every placeholder kept,
// every plural valid for its language, every message formattable).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readCatalogues } from '../../src/http/ui/assets.ts'
import { acceptedLanguages, boostLanguagesFrom, negotiateLocale } from '../../src/http/ui/i18n.ts'
import { parseCatalogue, REFERENCE_LOCALE, translators, type MessageKey } from '../../views/i18n/catalogue.ts'
import { formatsFor } from '../../views/i18n/formats.ts'
import { buildLanguages } from '../../views/i18n/languages.ts'
import { argumentsOf } from '../../views/i18n/messageformat.ts'
import { text } from '../../views/html.ts'

const files = readCatalogues()
const languages = buildLanguages(files)
const language = (locale: string) => languages.find((l) => l.locale === locale)!
const reference = parseCatalogue(REFERENCE_LOCALE, files[REFERENCE_LOCALE]!)

test('the site ships English, French, German, Spanish, Italian, Portuguese and Dutch, each naming itself', () => {
  assert.deepEqual(languages.map((l) => l.locale).sort(), ['de', 'en', 'es', 'fr', 'it', 'nl', 'pt'])
  assert.equal(languages[0]!.locale, 'en', 'the reference language comes first')
  assert.deepEqual(
    Object.fromEntries(languages.map((l) => [l.locale, l.name])),
    { en: 'English', fr: 'Français', de: 'Deutsch', es: 'Español', it: 'Italiano', pt: 'Português', nl: 'Nederlands' },
  )
})

for (const [locale, json] of Object.entries(files)) {
  if (locale === REFERENCE_LOCALE) continue
  test(`the ${locale} catalogue is complete, keeps every placeholder, and uses its language's plurals`, () => {
    const catalogue = parseCatalogue(locale, json)
    assert.deepEqual([...catalogue.messages.keys()].sort(), [...reference.messages.keys()].sort(), 'the same keys as en.json')
    const categories = new Set(new Intl.PluralRules(locale).resolvedOptions().pluralCategories)
    for (const [key, english] of reference.messages) {
      const expected = argumentsOf(english)
      const found = argumentsOf(catalogue.messages.get(key)!)
      assert.deepEqual([...found.keys()].sort(), [...expected.keys()].sort(), `${locale} ${key}: the same placeholders`)
      for (const [name, use] of found) {
        const want = expected.get(name)!
        // A translation may need a plural where English has none (or the reverse) only for numbers; both are numbers.
        if (want.kind === 'select' || use.kind === 'select') {
          assert.equal(use.kind, want.kind, `${locale} ${key}: {${name}} is a select as in English`)
          assert.deepEqual([...use.keys].sort(), [...want.keys].sort(), `${locale} ${key}: {${name}} has the same choices`)
        }
        if (use.kind === 'plural') {
          for (const k of use.keys) {
            assert.ok(k.startsWith('=') || categories.has(k as Intl.LDMLPluralRule), `${locale} ${key}: "${k}" is a plural category of ${locale}`)
          }
        }
      }
    }
    // A message left in English is a translation forgotten: only names and codes may stay the same.
    const mine = JSON.parse(json) as Record<string, string>
    const english = JSON.parse(files[REFERENCE_LOCALE]!) as Record<string, string>
    const same = Object.keys(english).filter((k) => mine[k] === english[k])
    assert.ok(same.length <= 14, `${locale}: ${same.length} messages identical to English: ${same.join(', ')}`)
  })
}

test('every message of every language formats with sample values', () => {
  for (const l of languages) {
    for (const [key, english] of reference.messages) {
      const args: Record<string, string | number> = {}
      for (const [name, use] of argumentsOf(english)) args[name] = use.kind === 'select' ? [...use.keys][0]! : use.kind === 'plural' ? 2 : `‹${name}›`
      assert.ok(l.t(key as MessageKey, args).trim().length > 0, `${l.locale} ${key}`)
    }
  }
})

test('rich messages escape text and keep markup arguments', () => {
  const { rich } = translators(parseCatalogue('en', '{"goWatchVideo": "Go & watch <this> on {host}"}'), reference)
  assert.equal(rich('goWatchVideo', { host: text('<b>') }).toString(), 'Go &amp; watch &lt;this&gt; on &lt;b&gt;')
  assert.equal(rich('goWatchVideo', { host: '<i>' }).toString(), 'Go &amp; watch &lt;this&gt; on &lt;i&gt;')
})

test('a catalogue without a message falls back to English for it', () => {
  const { t } = translators(parseCatalogue('de', '{"languageName": "Deutsch"}'), reference)
  assert.equal(t('languageName'), 'Deutsch')
  assert.equal(t('searchButton'), 'Search')
})

test('a broken catalogue is refused naming the file and the key', () => {
  assert.throws(() => parseCatalogue('xx', '{"views": "{count, plural, one {x}}"}'), /catalogue xx: "views": .*other/)
  assert.throws(() => parseCatalogue('xx', '{"views": 3}'), /catalogue xx: "views" is not a string/)
  assert.throws(() => buildLanguages({ de: '{}' }), /no en\.json catalogue/)
})

test('Accept-Language is read by quality, then order; wildcards, junk and q=0 are dropped', () => {
  assert.deepEqual(acceptedLanguages('de;q=0.5, fr-CA, en;q=0.8, *;q=0.1, x y, es;q=0'), ['fr-CA', 'en', 'de'])
  assert.deepEqual(acceptedLanguages(undefined), [])
})

test('the interface language: ?lang= first, then the browser (region dropped), then English', () => {
  const locales = languages.map((l) => l.locale)
  assert.equal(negotiateLocale(locales, undefined, 'fr-FR,fr;q=0.9,en;q=0.5'), 'fr')
  assert.equal(negotiateLocale(locales, undefined, 'sv, de;q=0.4'), 'de')
  assert.equal(negotiateLocale(locales, undefined, 'pt-BR'), 'pt')
  assert.equal(negotiateLocale(locales, undefined, 'nl-BE, en'), 'nl')
  assert.equal(negotiateLocale(locales, undefined, 'sv, ja'), 'en')
  assert.equal(negotiateLocale(locales, 'en', 'fr'), 'en')
  assert.equal(negotiateLocale(locales, 'xx', 'es'), 'es')
})

test('browser languages become PeerTube language ids for boosting', () => {
  assert.deepEqual(boostLanguagesFrom('fr-CA, pt-PT;q=0.9, en;q=0.8, *;q=0.1'), ['fr', 'pt-PT', 'pt', 'en'])
  assert.deepEqual(boostLanguagesFrom(''), [])
})

test('plurals follow each language (French counts 0 and 1 as singular)', () => {
  assert.equal(language('en').t('views', { count: 1, n: '1' }), '1 view')
  assert.equal(language('en').t('views', { count: 0, n: '0' }), '0 views')
  assert.equal(language('fr').t('views', { count: 0, n: '0' }), '0 vue')
  assert.equal(language('fr').t('views', { count: 2, n: '2' }), '2 vues')
  assert.equal(language('de').t('views', { count: 1, n: '1' }), '1 Aufruf')
  assert.equal(language('pt').t('videosCount', { count: 0, n: '0' }), '0 vídeos')
  assert.equal(language('nl').t('videosCount', { count: 3, n: '3' }), '3 video’s')
})

test('labels are translated, with the instance label for ids we do not know', () => {
  const l = language('fr').labels
  assert.equal(l.category(18), 'Cuisine')
  assert.equal(l.category(99, 'Plugin category'), 'Plugin category')
  assert.equal(l.licence(7), 'Domaine public (CC0)')
  assert.equal(l.language('de'), 'Allemand')
  assert.equal(language('en').labels.language('zxx'), 'No linguistic content')
  assert.equal(l.language('not a tag!', 'Custom'), 'Custom')
  assert.equal(language('de').labels.category(1), 'Musik')
  assert.equal(language('es').labels.language('de'), 'Alemán')
})

test('durations, counts and dates are formatted for the language', () => {
  const now = Date.parse('2025-06-15T12:00:00Z')
  const f = formatsFor('fr', now)
  assert.equal(f.duration(59), '0:59')
  assert.equal(f.duration(3725), '1:02:05')
  assert.equal(f.ago('2025-06-12T12:00:00Z'), 'il y a 3 jours')
  assert.equal(formatsFor('en', now).ago('2025-06-12T12:00:00Z'), '3 days ago')
  assert.equal(formatsFor('en', now).compact(12345), '12.3K')
})
