import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb } from '../../src/db/open.ts'
import { migrate, parseMigrations, readMigrations, schemaVersion, SchemaTooNewError, MIGRATIONS_FOLDER } from '../../src/db/migrate.ts'
import { indexedViews, reindex } from '../../src/search/reindex.ts'
import { parseVideosParams } from '../../src/search/params.ts'
import { searchVideos } from '../../src/search/videos.ts'
import { addChannel, addPlaylist, addVideo, ftsContent } from '../search/seed.ts'
import { assetNames } from '../../src/assets.ts'
import { runCli } from '../helpers/cli.ts'

test('migrations are applied once, in order, and recorded', () => {
  const db = openDb(':memory:')
  const files = assetNames(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql'))
  const applied = migrate(db)
  assert.deepEqual(applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}.sql`), files)
  const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY rowid').all() as { version: number; name: string }[]
  assert.deepEqual(recorded.map((r) => r.version), applied.map((m) => m.version))
  assert.deepEqual(migrate(db), [], 'nothing to apply the second time')
  assert.equal(schemaVersion(db), applied.at(-1)!.version)
  for (const table of ['instances', 'videos', 'channels', 'playlists', 'crawl_runs', 'crawl_state']) {
    assert.ok(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(table), table)
  }
  db.close()
})

test('a failing migration changes nothing; a badly named file is an error', () => {
  const files = [
    { file: '0002_broken.sql', sql: 'CREATE TABLE b (x); INSERT INTO nowhere VALUES (1);' },
    { file: '0001_first.sql', sql: 'CREATE TABLE a (x);' },
  ]
  const db = openDb(':memory:')
  assert.throws(() => migrate(db, parseMigrations(files)), /no such table: nowhere/)
  assert.equal(schemaVersion(db), 1)
  assert.equal(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'b'`).get(), undefined, 'rolled back')
  db.close()
  assert.throws(() => parseMigrations([...files, { file: '3_bad.sql', sql: '' }]), /3_bad\.sql is not named NNNN_name\.sql/)
})

test('a migration numbered below one already applied (merged later) is applied, not skipped', () => {
  const files = [
    { file: '0001_first.sql', sql: 'CREATE TABLE a (x);' },
    { file: '0003_third.sql', sql: 'CREATE TABLE c (x);' },
  ]
  const db = openDb(':memory:')
  migrate(db, parseMigrations(files))
  const later = [...files, { file: '0002_second.sql', sql: 'ALTER TABLE a ADD COLUMN y;' }]
  assert.deepEqual(migrate(db, parseMigrations(later)).map((m) => m.version), [2])
  assert.ok(db.prepare(`SELECT 1 FROM pragma_table_info('a') WHERE name = 'y'`).get())
  assert.deepEqual(migrate(db, parseMigrations(later)), [])
  db.close()
})

test('a database migrated by a newer Sepia is refused, also by the CLI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-newer-'))
  try {
    const path = join(dir, 'sepia.db')
    const db = openDb(path)
    migrate(db)
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, ?, ?)').run('future', new Date().toISOString())
    assert.throws(() => migrate(db), SchemaTooNewError)
    db.close()
    const config = join(dir, 'sepia.config.json')
    writeFileSync(config, JSON.stringify({ database: { path } }))
    const r = await runCli(['crawl', '--config', config])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^sepia: the database schema is at version 9999 but this Sepia only knows up to \d+/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a database with data in place, at the schema before the ranked search (0005), upgrades to indexes equal to a rebuild', () => {
  const db = openDb(':memory:')
  const all = readMigrations()
  migrate(db, all.filter((m) => m.version <= 5))
  for (let i = 0; i < 40; i++) addVideo(db, { name: `Old video ${i} tutorials`, tags: ['linux', `tag ${i % 3}`], description: `words ${i}`, views: i * 100 })
  addChannel(db, { name: 'chan', displayName: 'A channel about tutorials' })
  addPlaylist(db, { displayName: 'A playlist of tutorials' })
  migrate(db, all)
  const upgraded = { fts: indexedViews(db).map(({ fts }) => ftsContent(db, fts)), terms: db.prepare('SELECT term, n FROM search_terms ORDER BY term').all() }
  reindex(db)
  assert.deepEqual(upgraded, { fts: indexedViews(db).map(({ fts }) => ftsContent(db, fts)), terms: db.prepare('SELECT term, n FROM search_terms ORDER BY term').all() })
  assert.ok(upgraded.terms.length > 40)
  const p = parseVideosParams({ search: 'tutorial', count: 100 })
  assert.ok(p.ok)
  const found = searchVideos(db, p.query)
  assert.equal(found.total, 40)
  // Best ranked first: the most viewed.
  assert.equal(found.data[0]!.name, 'Old video 39 tutorials')
  db.close()
})
