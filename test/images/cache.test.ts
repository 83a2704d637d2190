// The image cache on a real folder: the byte bound holds, the least recently used pictures go first, and a
// restart finds the folder as it was (minus leftovers of an interrupted write).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cacheKey, openImageCache, prepareImageCacheDir } from '../../src/images/cache.ts'

const KB = 1024
const picture = (n: number) => ({ type: 'image/png' as const, body: Buffer.alloc(n, 7) })

function withDir(run: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sepia-images-'))
    try {
      await run(dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

test('the cache keeps under its byte bound by evicting the least recently used pictures', withDir(async (dir) => {
  const cache = openImageCache(join(dir, 'images'), 10 * KB)
  await cache.put('https://a.example/1.png', picture(4 * KB))
  await cache.put('https://a.example/2.png', picture(4 * KB))
  assert.ok(await cache.get('https://a.example/1.png'), 'a hit makes 1 the most recently used')
  await cache.put('https://a.example/3.png', picture(4 * KB))
  assert.deepEqual(cache.usage(), { bytes: 8 * KB, files: 2 })
  assert.equal(await cache.get('https://a.example/2.png'), null, '2 was the least recently used')
  assert.deepEqual((await cache.get('https://a.example/1.png'))?.body, picture(4 * KB).body)
  assert.equal((await cache.get('https://a.example/3.png'))?.type, 'image/png')
  assert.deepEqual(readdirSync(join(dir, 'images')).sort(), [`${cacheKey('https://a.example/1.png')}.png`, `${cacheKey('https://a.example/3.png')}.png`].sort())
  await cache.put('https://a.example/huge.png', picture(11 * KB))
  assert.equal(await cache.get('https://a.example/huge.png'), null, 'bigger than the whole cache: served, not kept')
}))

test('a restart finds the pictures, oldest use first, enforces a smaller bound and removes interrupted writes', withDir(async (dir) => {
  const first = openImageCache(dir, 100 * KB)
  for (const n of [1, 2, 3]) await first.put(`https://a.example/${n}.png`, picture(4 * KB))
  // 2 was used long ago, 1 a while ago, 3 just now.
  const age = (n: number, seconds: number) => {
    const t = Date.now() / 1000 - seconds
    utimesSync(join(dir, `${cacheKey(`https://a.example/${n}.png`)}.png`), t, t)
  }
  age(2, 7200)
  age(1, 3600)
  writeFileSync(join(dir, '.tmp-abandoned'), 'half a picture')
  writeFileSync(join(dir, 'README'), 'not ours, left alone')
  const second = openImageCache(dir, 8 * KB)
  assert.deepEqual(second.usage(), { bytes: 8 * KB, files: 2 })
  assert.equal(await second.get('https://a.example/2.png'), null)
  assert.ok(await second.get('https://a.example/1.png'))
  assert.ok(await second.get('https://a.example/3.png'))
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.ok(!readdirSync(dir).includes('.tmp-abandoned'))
  assert.ok(readdirSync(dir).includes('README'))
}))

test('a cache folder that cannot be used is refused with a clear message', withDir(async (dir) => {
  const file = join(dir, 'a-file')
  writeFileSync(file, '')
  assert.throws(() => prepareImageCacheDir(file), /cannot use .*a-file for the image cache/)
  assert.throws(() => prepareImageCacheDir(join(file, 'below')), /cannot use .*below for the image cache \(ENOTDIR\)/)
  prepareImageCacheDir(join(dir, 'new', 'folder'))
  assert.deepEqual(readdirSync(join(dir, 'new')), ['folder'])
}))
