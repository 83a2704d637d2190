// The connection settings every process gets from openDb (measured in BENCHMARKS.md, "SQLite connection settings").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb } from '../../src/db/open.ts'

test('connections read through the memory map with a small page cache; the crawler writes through a larger one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-open-'))
  try {
    const path = join(dir, 'sepia.db')
    const reader = openDb(path)
    const crawler = openDb(path, { bulkWrites: true })
    try {
      for (const db of [reader, crawler]) {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
        assert.equal(db.pragma('foreign_keys', { simple: true }), 1)
        assert.equal(db.pragma('mmap_size', { simple: true }), 2147418112)
      }
      // Negative: KiB. 16 MB for searches (64 MB measured no faster) and for the crawler's writes (memory).
      assert.equal(reader.pragma('cache_size', { simple: true }), -16000)
      assert.equal(crawler.pragma('cache_size', { simple: true }), -16000)
      // The crawler copies its WAL to the database every 10,000 pages, searches at SQLite's 1,000 (they never write).
      assert.equal(crawler.pragma('wal_autocheckpoint', { simple: true }), 10000)
      assert.equal(reader.pragma('wal_autocheckpoint', { simple: true }), 1000)
      // Its statement journals stay in memory (2: MEMORY); searches keep SQLite's default (0).
      assert.equal(crawler.pragma('temp_store', { simple: true }), 2)
      assert.equal(reader.pragma('temp_store', { simple: true }), 0)
    } finally {
      reader.close()
      crawler.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
