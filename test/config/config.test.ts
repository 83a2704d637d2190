import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig, loadConfig, configPath, ConfigError } from '../../src/config/config.ts'
import { runCli, hasStackTrace } from '../helpers/cli.ts'

test('defaults: polite crawling over https, no private addresses, the JoinPeerTube list', () => {
  const c = parseConfig({})
  assert.equal(c.instances.listUrl, 'https://instances.joinpeertube.org/api/v1/instances/hosts')
  assert.deepEqual([c.instances.hosts, c.instances.blocked], [[], []])
  assert.equal(c.crawl.allowPrivateAddresses, false)
  assert.equal(c.crawl.useHttp, false)
  assert.equal(c.crawl.perHostConcurrency, 1)
  assert.ok(c.crawl.perHostRequestsPerSecond <= 2, 'well under PeerTube’s 5 requests per second')
  assert.equal(c.crawl.maxResponseBytes, 8 * 1024 * 1024)
  assert.equal(c.crawl.retryBaseDelayMs, 2000)
  assert.match(c.crawl.userAgent, /^Sepia\//)
  // A PeerTube instance forwarding its users' searches has up to 24 requests in flight: never refused by default.
  assert.deepEqual([c.api.perClientConcurrency, c.api.perClientQueue], [4, 60])
  assert.ok(!('rateLimitPerMinute' in c.api))
  assert.ok(Object.isFrozen(c))
})

function problems(raw: unknown): string {
  try {
    parseConfig(raw, '/etc/sepia.json')
  } catch (err) {
    assert.ok(err instanceof ConfigError)
    return err.message
  }
  assert.fail('expected a ConfigError')
}

test('every error names the key and the problem', () => {
  const cases: [unknown, RegExp][] = [
    [{ crawl: { concurency: 2 } }, /crawl\.concurency: unknown key/],
    [{ listen: { port: 'http' } }, /listen\.port: /],
    [{ listen: { port: 70000 } }, /listen\.port: /],
    [{ crawl: { schedule: 'every day' } }, /crawl\.schedule: must be a valid cron expression/],
    [{ instances: { hosts: ['https://video.example.org/'] } }, /instances\.hosts\.0: must be a bare host name/],
    [{ instances: { listUrl: 'ftp://example.org/list' } }, /instances\.listUrl: /],
    [{ crawl: { perHostConcurrency: 0 } }, /crawl\.perHostConcurrency: /],
    [{ crawl: { timeoutMs: 5 } }, /crawl\.timeoutMs: /],
    [{ crawl: { allowPrivateAddresses: 'yes' } }, /crawl\.allowPrivateAddresses: /],
    [{ surprise: true }, /surprise: unknown key/],
    [{ api: { perClientConcurrency: 0 } }, /api\.perClientConcurrency: /],
    [{ api: { perClientQueue: -1 } }, /api\.perClientQueue: /],
    [{ api: { perClientQueue: '60' } }, /api\.perClientQueue: /],
    // Keys of the old rate limit say what replaced them instead of being "unknown".
    [{ api: { rateLimitPerMinute: 0 } }, /api\.rateLimitPerMinute: no longer used: .* api\.perClientConcurrency and api\.perClientQueue/],
    [{ api: { rateLimitBurst: 60 } }, /api\.rateLimitBurst: no longer used: /],
  ]
  for (const [raw, expected] of cases) {
    const message = problems(raw)
    assert.match(message, /^invalid configuration in \/etc\/sepia\.json:\n/)
    assert.match(message, expected)
  }
  assert.equal(parseConfig({ instances: { listUrl: null } }).instances.listUrl, null, 'null disables the list')
})

test('the file comes from --config, then SEPIA_CONFIG, then ./sepia.config.json; relative paths follow the file', () => {
  assert.deepEqual(configPath('/a.json', { SEPIA_CONFIG: '/b.json' }), { path: '/a.json', explicit: true })
  assert.deepEqual(configPath(undefined, { SEPIA_CONFIG: '/b.json' }), { path: '/b.json', explicit: true })
  assert.equal(configPath(undefined, {}).explicit, false)
  const dir = mkdtempSync(join(tmpdir(), 'sepia-config-'))
  try {
    const file = join(dir, 'conf.json')
    writeFileSync(file, JSON.stringify({ database: { path: 'data/index.db' } }))
    assert.equal(loadConfig(file).database.path, join(dir, 'data/index.db'))
    assert.throws(() => loadConfig(join(dir, 'missing.json')), /configuration file .*missing\.json does not exist/)
    assert.equal(loadConfig(join(dir, 'missing.json'), false).file, null, 'a missing default file means defaults')
    writeFileSync(file, '{ "site": ')
    assert.throws(() => loadConfig(file), /is not valid JSON/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('through the CLI, a bad key is named and the command exits non-zero before touching the database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-config-'))
  try {
    const file = join(dir, 'sepia.config.json')
    writeFileSync(file, JSON.stringify({ database: { path: 'sepia.db' }, crawl: { concurency: 4 } }))
    for (const command of ['crawl', 'stats']) {
      const r = await runCli([command, '--config', file])
      assert.equal(r.code, 1)
      assert.equal(r.stderr, `sepia: invalid configuration in ${file}:\n  crawl.concurency: unknown key (misspelt, or not a Sepia setting)\n`)
      assert.ok(!hasStackTrace(r.stderr))
    }
    assert.equal(existsSync(join(dir, 'sepia.db')), false)
    // SEPIA_CONFIG is used when --config is not given.
    writeFileSync(file, JSON.stringify({ database: { path: 'sepia.db' }, site: { name: 'From env' } }))
    const r = await runCli(['config'], { SEPIA_CONFIG: file })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(JSON.parse(r.stdout).site.name, 'From env')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the image proxy: on by default, its cache next to the database, its settings checked by name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-config-'))
  try {
    const file = join(dir, 'conf.json')
    writeFileSync(file, JSON.stringify({ database: { path: 'db/index.db' } }))
    const c = loadConfig(file)
    assert.equal(c.site.proxyImages, true)
    assert.equal(c.site.imageCacheDir, join(dir, 'db', 'images'))
    assert.equal(c.site.imageCacheMaxBytes, 512 * 1024 * 1024)
    writeFileSync(file, JSON.stringify({ site: { imageCacheDir: 'cache/pictures', imageCacheMaxBytes: 2 ** 30 } }))
    assert.equal(loadConfig(file).site.imageCacheDir, join(dir, 'cache/pictures'), 'relative to the configuration file')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  assert.match(problems({ site: { proxyImages: 'yes' } }), /site\.proxyImages: /)
  assert.match(problems({ site: { imageCacheMaxBytes: 1000 } }), /site\.imageCacheMaxBytes: /)
  assert.match(problems({ site: { imageCacheDir: ' ' } }), /site\.imageCacheDir: must not be empty/)
})

test('sepia serve refuses an image cache folder it cannot use, naming the setting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-config-'))
  try {
    writeFileSync(join(dir, 'not-a-folder'), '')
    const file = join(dir, 'sepia.config.json')
    writeFileSync(file, JSON.stringify({ database: { path: 'sepia.db' }, site: { imageCacheDir: 'not-a-folder' } }))
    const r = await runCli(['serve', '--config', file, '--no-crawl', '--port', '0'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^sepia: site\.imageCacheDir: cannot use .*not-a-folder for the image cache/)
    assert.ok(!hasStackTrace(r.stderr))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
