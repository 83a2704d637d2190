import { test } from 'node:test'
import assert from 'node:assert/strict'
import { acceptedLanguages, boostLanguagesFrom, formatsFor, negotiateLocale } from '../../src/http/ui/i18n.ts'
import { labelsFor } from '../../src/http/ui/labels.ts'
import { en } from '../../src/http/ui/messages/en.ts'
import { fr } from '../../src/http/ui/messages/fr.ts'

test('Accept-Language is read by quality, then order; wildcards, junk and q=0 are dropped', () => {
  assert.deepEqual(acceptedLanguages('de;q=0.5, fr-CA, en;q=0.8, *;q=0.1, x y, es;q=0'), ['fr-CA', 'en', 'de'])
  assert.deepEqual(acceptedLanguages(undefined), [])
})

test('the interface language: ?lang= first, then the browser, then English', () => {
  assert.equal(negotiateLocale(undefined, 'fr-FR,fr;q=0.9,en;q=0.5'), 'fr')
  assert.equal(negotiateLocale(undefined, 'de, fr;q=0.4'), 'fr')
  assert.equal(negotiateLocale(undefined, 'de, es'), 'en')
  assert.equal(negotiateLocale('en', 'fr'), 'en')
  assert.equal(negotiateLocale('xx', 'fr'), 'fr')
})

test('browser languages become PeerTube language ids for boosting', () => {
  assert.deepEqual(boostLanguagesFrom('fr-CA, pt-PT;q=0.9, en;q=0.8, *;q=0.1'), ['fr', 'pt-PT', 'pt', 'en'])
  assert.deepEqual(boostLanguagesFrom(''), [])
})

test('the French catalogue translates every message of the English one', () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort())
  const same = Object.keys(en).filter((k) => {
    const a = (en as Record<string, unknown>)[k]
    return typeof a === 'string' && a === (fr as Record<string, unknown>)[k]
  })
  // Words that are the same in both languages.
  assert.deepEqual(same.sort(), ['filterLicence', 'instanceColumn'].sort())
})

test('plurals follow each language (French counts 0 and 1 as singular)', () => {
  assert.equal(en.views(1, '1'), '1 view')
  assert.equal(en.views(0, '0'), '0 views')
  assert.equal(fr.views(0, '0'), '0 vue')
  assert.equal(fr.views(2, '2'), '2 vues')
})

test('labels are translated, with the instance label for ids we do not know', () => {
  const l = labelsFor('fr')
  assert.equal(l.category(18), 'Cuisine')
  assert.equal(l.category(99, 'Plugin category'), 'Plugin category')
  assert.equal(l.licence(7), 'Domaine public (CC0)')
  assert.equal(l.language('de'), 'Allemand')
  assert.equal(labelsFor('en').language('zxx'), 'No linguistic content')
  assert.equal(l.language('not a tag!', 'Custom'), 'Custom')
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
