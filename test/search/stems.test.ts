import { test } from 'node:test'
import assert from 'node:assert/strict'
import { STEM_LANGUAGES, stemsOf } from '../../src/search/stems.ts'

const shareStem = (a: string, b: string) => {
  const sa = stemsOf(a)
  const sb = stemsOf(b)
  return [...sa].some(([stem, langs]) => ((sb.get(stem) ?? 0) & langs) !== 0)
}

test('plurals and inflections share a stem in the same language, for the seven languages', () => {
  const pairs: [string, string, string][] = [
    ['en', 'tutorials', 'tutorial'],
    ['en', 'kernels', 'kernel'],
    ['fr', 'musiques', 'musique'],
    ['fr', 'chansons', 'chanson'],
    ['de', 'spiele', 'spiel'],
    ['es', 'canciones', 'cancion'],
    ['it', 'gatti', 'gatto'],
    ['pt', 'livros', 'livro'],
    ['nl', 'boeken', 'boek'],
  ]
  for (const [lang, a, b] of pairs) {
    const bit = 1 << STEM_LANGUAGES.findIndex(([l]) => l === lang)
    const sa = stemsOf(a)
    const sb = stemsOf(b)
    assert.ok([...sa].some(([stem, langs]) => (langs & bit) !== 0 && ((sb.get(stem) ?? 0) & bit) !== 0), `${lang}: ${a} ~ ${b}`)
  }
})

test('short words, digits and different words are left alone', () => {
  assert.equal(stemsOf('vid').size, 0)
  assert.equal(stemsOf('h264').size, 0)
  assert.ok(!shareStem('linux', 'kernel'))
  assert.ok(!shareStem('music', 'museum'))
})

test('stems are folded like every indexed word (no accents back from a stemmer)', () => {
  for (const [stem] of stemsOf('videos')) assert.equal(stem, stem.normalize('NFKD').replace(/\p{M}/gu, ''))
})
