import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fold, ftsToken, parseText, words, MAX_TERMS } from '../../src/search/text.ts'
import { parseIdentifier } from '../../src/search/identifiers.ts'
import { isUuid, shortUuid, uuidFromShort } from '../../src/short-uuid.ts'
import { testDb } from './seed.ts'

test('fold removes case and accents as the index tokenizer does', () => {
  assert.equal(fold('Été À PARIS, Ça Va? Ñandú Straße'), 'ete a paris, ca va? nandu straße')
})

test('words are runs of letters and digits; every symbol separates', () => {
  assert.deepEqual(words(fold('"peer" AND tube* ^x -y:z (a)/b_c 3D-printing l\'été')), [
    'peer', 'and', 'tube', 'x', 'y', 'z', 'a', 'b', 'c', '3d', 'printing', 'l', 'ete',
  ])
})

test('the last typed word becomes a prefix, unless it is one character or was followed by more text', () => {
  assert.deepEqual(parseText('PeerTube tutori').terms, [
    { text: 'peertube', prefix: false },
    { text: 'tutori', prefix: true },
  ])
  assert.deepEqual(parseText('blender a').terms.at(-1), { text: 'a', prefix: false })
  assert.deepEqual(parseText('music music').terms, [{ text: 'music', prefix: true }])
  assert.deepEqual(parseText('').terms, [])
  assert.deepEqual(parseText('  !!! "" ***').terms, [])
})

test(`at most ${MAX_TERMS} distinct words are searched`, () => {
  const many = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ')
  assert.equal(parseText(many).terms.length, MAX_TERMS)
  assert.equal(parseText('x'.repeat(10_000)).terms[0]!.text.length, 64)
})

test('no text, however hostile, makes an invalid FTS5 expression', () => {
  const db = testDb()
  const probe = db.prepare('SELECT count(*) AS n FROM videos_fts WHERE videos_fts MATCH ?')
  const hostile = ['"', '""', 'AND', 'OR NOT', 'NEAR(a b)', '*', '^', '-', ':', 'col:', '{name}:', '(', ')', 'a"b', "l'été", '🎉', 'מה נשמע', '漢字', '\u0000', 'x'.repeat(10_000)]
  for (const text of hostile) {
    for (const t of parseText(text).terms) probe.get(`{name tags names description}: ${ftsToken(t.text)}`)
  }
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
      const terms = parseText(text).terms
      if (terms.length) probe.get(`{name tags names description}: (${terms.map((t) => ftsToken(t.text)).join(' AND ')})`)
    }),
    { numRuns: 500 },
  )
})

test('short uuids convert both ways, like PeerTube (flickrBase58, 22 characters)', () => {
  const uuid = 'b29290cc-dc51-4a12-bcb2-2aa5fece7605'
  // From fixture fjernsyn__search-videos-sepiasearch__1.json: PeerTube's own pair.
  assert.equal(shortUuid(uuid), 'o3XdtSYTnv2LYxRsf8Mndz')
  assert.equal(uuidFromShort('o3XdtSYTnv2LYxRsf8Mndz'), uuid)
  assert.equal(uuidFromShort('not-a-short-uuid'), null)
  assert.ok(isUuid(uuid))
  fc.assert(fc.property(fc.uuid(), (u) => uuidFromShort(shortUuid(u)) === u.toLowerCase()))
})

test('identifiers: uuids, short uuids, watch URLs, handles and channel URLs', () => {
  const uuid = 'b29290cc-dc51-4a12-bcb2-2aa5fece7605'
  const short = 'o3XdtSYTnv2LYxRsf8Mndz'
  for (const text of [uuid, uuid.toUpperCase(), short, `https://video.blender.org/w/${short}`, `https://video.blender.org/videos/watch/${uuid}`,
    `https://tube.example/w/p/${short}`, `https://tube.example/videos/watch/playlist/${uuid}`, `https://tube.example/video-playlists/${uuid}`]) {
    assert.deepEqual(parseIdentifier(text), { kind: 'uuid', uuid }, text)
  }
  assert.deepEqual(parseIdentifier('blender_studio@video.blender.org'), { kind: 'handle', name: 'blender_studio', host: 'video.blender.org' })
  assert.deepEqual(parseIdentifier('@Blender_Studio@Video.Blender.org'), { kind: 'handle', name: 'blender_studio', host: 'video.blender.org' })
  assert.deepEqual(parseIdentifier('https://video.blender.org/c/blender_studio/videos'), { kind: 'handle', name: 'blender_studio', host: 'video.blender.org' })
  assert.deepEqual(parseIdentifier('https://video.blender.org/video-channels/blender_studio'), { kind: 'handle', name: 'blender_studio', host: 'video.blender.org' })
  for (const text of ['blender', 'blender studio', 'internationalization', 'https://example.org/about', 'a@b@c', '']) {
    assert.deepEqual(parseIdentifier(text), { kind: 'none' }, text)
  }
})
