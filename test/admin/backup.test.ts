import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'

const sepia = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { encoding: 'utf8', timeout: 30_000 })

test('sepia backup copies the database while another connection holds it open, and refuses to overwrite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-backup-'))
  try {
    const configFile = join(dir, 'sepia.config.json')
    writeFileSync(configFile, JSON.stringify({ database: { path: 'index.db' } }))
    const db = openDb(join(dir, 'index.db'))
    migrate(db)
    const insert = db.prepare('INSERT INTO instances (host, in_config, created_at) VALUES (?, 1, 0)')
    for (let i = 0; i < 50; i++) insert.run(`video${i}.example.org`)

    const out = sepia(['backup', join(dir, 'copy.db'), '--config', configFile])
    assert.equal(out.status, 0, out.stderr)
    assert.match(out.stdout, /backed up/)

    const copy = openDb(join(dir, 'copy.db'), { readonly: true })
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
    assert.deepEqual(
      copy.prepare('SELECT host FROM instances ORDER BY host').all(),
      db.prepare('SELECT host FROM instances ORDER BY host').all(),
    )
    copy.close()
    db.close()

    const again = sepia(['backup', join(dir, 'copy.db'), '--config', configFile])
    assert.equal(again.status, 1)
    assert.match(again.stderr, /exists; pass --force/)
    assert.doesNotMatch(again.stderr, /at .*\.ts:\d+/, 'no stack trace')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
