// The one way run-time files are read. From the checkout, assets are the repository's files; the executable's side
// is exercised by test/executable/. The private cache directory, from which the executable loads the SQLite addon,
// must refuse a place someone else could write to.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assetFile, assetNames, privateCacheDir, readAsset, runsEmbedded } from '../src/assets.ts'
import { ROOT } from './helpers/cli.ts'

test('from the checkout, assets are the repository files they are named after', () => {
  assert.equal(runsEmbedded(), false)
  assert.deepEqual(readAsset('views/static/style.css'), readFileSync(join(ROOT, 'views/static/style.css')))
  assert.deepEqual(assetNames('migrations/'), readdirSync(join(ROOT, 'migrations')).sort())
  assert.deepEqual(assetNames('migrations'), assetNames('migrations/'))
  assert.equal(assetFile('package.json'), join(ROOT, 'package.json'))
  assert.throws(() => readAsset('views/static/nothing-here.css'), /ENOENT/)
})

test('the private cache directory: systemd’s, else XDG’s, else the home’s; never one that others may write to', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-cache-'))
  try {
    const home = join(dir, 'home')
    assert.equal(privateCacheDir({ HOME: home }), join(home, '.cache', 'sepia'))
    assert.equal(privateCacheDir({ HOME: home, XDG_CACHE_HOME: join(dir, 'xdg') }), join(dir, 'xdg', 'sepia'))
    assert.equal(privateCacheDir({ HOME: home, XDG_CACHE_HOME: 'relative/ignored' }), join(home, '.cache', 'sepia'))
    mkdirSync(join(dir, 'systemd'), { mode: 0o755 })
    assert.equal(privateCacheDir({ HOME: home, CACHE_DIRECTORY: `${join(dir, 'systemd')}:/var/cache/other` }), join(dir, 'systemd'))
    assert.equal(readdirSync(join(home, '.cache', 'sepia')).length, 0)

    const shared = join(dir, 'shared')
    mkdirSync(shared)
    chmodSync(shared, 0o777)
    assert.throws(() => privateCacheDir({ CACHE_DIRECTORY: shared }), /cache directory .*shared must be a directory owned by this user and writable by no one else/)
    chmodSync(shared, 0o775)
    assert.throws(() => privateCacheDir({ CACHE_DIRECTORY: shared }), /writable by no one else/)
    const link = join(dir, 'link')
    symlinkSync(join(home, '.cache', 'sepia'), link)
    assert.throws(() => privateCacheDir({ CACHE_DIRECTORY: link }), /must be a directory owned by this user/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
