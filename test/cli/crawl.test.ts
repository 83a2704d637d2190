// `sepia crawl` and `sepia stats` as an admin runs them: the real CLI in a child process.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'
import { acquireLease, releaseLease } from '../../src/db/crawl-runs.ts'
import { runCrawl } from '../../src/crawler/run.ts'
import { instanceByHost } from '../../src/db/instances.ts'
import { spawn } from 'node:child_process'
import { ROOT, runCli, spawnCli, finished, hasStackTrace } from '../helpers/cli.ts'
import { closedPort } from '../helpers/server.ts'
import { fakeVideo, startFakeFederation, type FakeInstance } from '../fake/federation.ts'
import { claimsVideosOf } from '../fake/hostile.ts'
import { badSpec } from '../hostile/harness.ts'

function tempConfig(config: object): { file: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sepia-cli-'))
  const file = join(dir, 'sepia.config.json')
  writeFileSync(file, JSON.stringify({ database: { path: 'sepia.db' }, ...config }))
  return { file, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

test('offline, with the default settings, crawl fails cleanly and leaves a usable database', async () => {
  // The list URL cannot be reached (as on a machine without internet): here, a closed port on 127.0.0.1.
  const port = await closedPort()
  const listUrl = `http://127.0.0.1:${port}/api/v1/instances/hosts`
  const defaults = tempConfig({ instances: { listUrl } })
  const reachable = tempConfig({
    instances: { listUrl, hosts: [`127.0.0.1:${port}`] },
    crawl: { useHttp: true, allowPrivateAddresses: true, perHostRequestsPerSecond: 1000, retryBaseDelayMs: 1, maxRetryDelayMs: 5 },
  })
  try {
    const r = await runCli(['crawl', '--config', defaults.file])
    assert.equal(r.code, 1)
    assert.equal(
      r.stderr,
      `sepia: no instances to crawl (cannot read the instance list ${listUrl}: refused private address 127.0.0.1)\n`,
    )
    assert.match(r.stdout, /^instance list: cannot read the instance list .*; keeping the instances known so far\n/)
    assert.ok(!hasStackTrace(r.stdout + r.stderr))

    // With an instance configured, each instance fails with its own reason, and the command still exits cleanly.
    const r2 = await runCli(['crawl', '--config', reachable.file])
    assert.equal(r2.code, 1)
    assert.match(r2.stdout, new RegExp(`FAILED  127\\.0\\.0\\.1:${port}  reading /api/v1/config: connection refused`))
    assert.match(r2.stderr, /^sepia: every instance failed; cannot read the instance list .*: connection refused\n$/)
    assert.ok(!hasStackTrace(r2.stdout + r2.stderr))

    const stats = await runCli(['stats', '--json', '--config', reachable.file])
    assert.equal(stats.code, 0, stats.stderr)
    const s = JSON.parse(stats.stdout)
    assert.equal(s.totals.instances, 1)
    assert.equal(s.instances[0].lastError, 'reading /api/v1/config: connection refused')
    assert.equal(s.lastRun.status, 'done')
    assert.match(s.lastRun.listError, /connection refused/)
  } finally {
    defaults.cleanup()
    reachable.cleanup()
  }
})

test('crawl prints a line per instance and a summary; --host limits it; stats shows the result', async () => {
  const fed = await startFakeFederation()
  try {
    const [a, b, c] = fed.instances
    b!.spec.failWith = 500
    const file = fed.configFile()
    const r = await runCli(['crawl', '--config', file])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^instance list: 3 hosts\n/)
    assert.match(r.stdout, new RegExp(`\\nok      ${a!.host}  v3\\.2\\.1  videos 120 \\(\\+120 new, 0 updated, 0 removed\\)  channels 2  playlists 2  \\(138 requests, \\d+\\.\\d s\\)\\n`))
    assert.match(r.stdout, new RegExp(`\\nFAILED  ${b!.host}  reading /api/v1/config: answered HTTP 500  \\(4 requests, \\d+\\.\\d s\\)\\n`))
    assert.match(r.stdout, new RegExp(`\\nok      ${c!.host}  v8\\.2\\.3  videos 26 `))
    assert.match(r.stdout, /\ndone: 3 instances: 2 ok, 1 failed; videos 146 new, 0 updated, 0 removed; channels 4, playlists 4\n$/)

    for (const i of fed.instances) i.requests.length = 0
    delete b!.spec.failWith
    const only = await runCli(['crawl', '--config', file, '--host', b!.host, '--host', 'unknown.example'])
    assert.equal(only.code, 0, only.stderr)
    assert.match(only.stdout, /FAILED  unknown\.example  not in the instance list nor in instances\.hosts/)
    assert.match(only.stdout, new RegExp(`ok      ${b!.host}  v5\\.2\\.1  videos 30 \\(\\+30 new`))
    assert.doesNotMatch(only.stdout, /instance list:/)
    assert.deepEqual(fed.instances.map((i) => i.requests.length > 0), [false, true, false])
    assert.equal(fed.list.requests.length, 1, 'a --host crawl does not read the list')

    const stats = await runCli(['stats', '--config', file])
    assert.equal(stats.code, 0, stats.stderr)
    assert.match(stats.stdout, /^176 videos, 6 channels, 6 playlists on 3 instances \(0 failing, 0 not crawled yet\)\n/)
    assert.match(stats.stdout, /HOST +VERSION +VIDEOS +CHANNELS +PLAYLISTS/)
    assert.match(stats.stdout, new RegExp(`${b!.host} +5\\.2\\.1 +30 +2 +2 +0 .* ok`))
  } finally {
    await fed.close()
  }
})

test('crawl refuses to run next to another crawl (another process holds the lease)', async () => {
  const fed = await startFakeFederation()
  try {
    const file = fed.configFile()
    const db = openDb(fed.config().database.path)
    migrate(db)
    assert.ok(acquireLease(db)) // this test process is "sepia serve, crawling"
    const r = await runCli(['crawl', '--config', file])
    releaseLease(db)
    db.close()
    assert.equal(r.code, 1)
    assert.match(r.stderr, new RegExp(`^sepia: another crawl is running \\(.+, pid ${process.pid}\\); try again when it has finished\\n$`))
    assert.deepEqual(fed.instances.map((i) => i.requests.length), [0, 0, 0])
  } finally {
    await fed.close()
  }
})

test('a crawl killed mid-way leaves a consistent database, and the next crawl completes the index', async () => {
  const fed = await startFakeFederation()
  try {
    const old = fed.instances[0]!
    for (const i of fed.instances) i.spec.latencyMs = 2
    const child = spawnCli(['crawl', '--config', fed.configFile({ crawl: { concurrency: 1 } })])
    const exit = finished(child)
    // Kill -9 while the old instance's details are being fetched: some pages are written, others not.
    await new Promise<void>((resolve) => {
      old.spec.respond = () => {
        if (old.requests.length === 60) {
          child.kill('SIGKILL')
          resolve()
        }
        return undefined
      }
    })
    assert.equal((await exit).signal, 'SIGKILL')
    delete old.spec.respond
    const config = fed.config()
    const db = openDb(config.database.path)
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok')
      assert.deepEqual(db.pragma('foreign_key_check'), [])
      // The dead process's lease does not block: it is on this machine and its pid is gone.
      const s = await runCrawl({ db, config })
      assert.equal(s.totals.ok, 3)
      for (const i of fed.instances) {
        assert.equal(instanceByHost(db, i.host)!.videosCount, i.expected().videos.length)
        assert.equal(db.prepare('SELECT count(*) FROM videos v JOIN instances i ON i.id = v.instance_id WHERE i.host = ?').pluck().get(i.host), i.expected().videos.length)
      }
    } finally {
      db.close()
    }
  } finally {
    await fed.close()
  }
})

test('an instance whose uuids another instance was indexed with first: crawl, stats and check say "claimed by HOST"', async () => {
  const fed = await startFakeFederation([badSpec({ name: 'Victim' }), { name: 'Thief', version: '7.1.0', videos: [fakeVideo({ name: 'Own upload' })] }])
  try {
    const [victim, thief] = fed.instances as [FakeInstance, FakeInstance]
    thief.spec.respond = claimsVideosOf(thief, victim)
    const file = fed.configFile()
    // The victim is indexed first (alone in the list), so its uuids are its own.
    fed.list.hosts = [victim.host]
    const first = await runCli(['crawl', '--config', file])
    assert.equal(first.code, 0, first.stderr)
    fed.list.hosts = [victim.host, thief.host]
    const r = await runCli(['crawl', '--config', file])
    assert.equal(r.code, 0, r.stderr)
    const claimed = victim.expected().videos.length
    const line = r.stdout.split('\n').find((l) => l.startsWith('ok ') && l.includes(thief.host))!
    assert.match(line, new RegExp(`^ok +${thief.host.replace(/\./g, '\\.')} .* videos 1 \\(\\+1 new.*  ${claimed} items claimed by ${victim.host.replace(/\./g, '\\.')} \\(indexed from there first\\)`))
    assert.doesNotMatch(line, /skipped \(invalid\)/)
    const stats = await runCli(['stats', '--config', file])
    assert.match(stats.stdout.split('\n').find((l) => l.startsWith(thief.host))!, new RegExp(`ok; ${claimed} items claimed by ${victim.host.replace(/\./g, '\\.')}`))
    const check = await runCli(['instances', 'check', thief.host, '--config', file])
    assert.match(check.stdout, new RegExp(`claimed +${claimed} items of its listing claimed by ${victim.host.replace(/\./g, '\\.')} \\(indexed from there first\\)`))
    assert.match(check.stdout, new RegExp(`  - ${claimed} of its listed items were claimed by ${victim.host.replace(/\./g, '\\.')}, indexed from there first`))
  } finally {
    await fed.close()
  }
})

test('in a terminal, crawl draws a progress bar with an ETA under its lines; piped, plain lines only', async () => {
  const fed = await startFakeFederation()
  try {
    // The old instance's 138 requests, one at a time, 30 ms each: long enough for the ETA to show.
    for (const i of fed.instances) i.spec.latencyMs = 30
    const file = fed.configFile()
    // `script` runs the command on a pseudo-terminal, as an admin's shell would.
    const command = [process.execPath, '--import', 'tsx', 'src/main.ts', 'crawl', '--config', file].map((a) => `'${a}'`).join(' ')
    const tty = await finished(spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: ROOT }))
    assert.equal(tty.code, 0, tty.stderr)
    assert.match(tty.stdout, /\r\x1b\[2K\[#*\.*\] +\d+%  ETA \d+s, \d+\/3 instances, \d+ videos listed, \d+ details/)
    assert.match(tty.stdout, /\r\x1b\[2Kdone: 3 instances: 3 ok[^\r\x1b]*\r\n$/, 'the bar is cleared before the summary, and not drawn again')
    const piped = await runCli(['crawl', '--config', file])
    assert.equal(piped.code, 0)
    assert.doesNotMatch(piped.stdout, /[\r\x1b]/, 'no bar and no escape sequence when not in a terminal')
  } finally {
    await fed.close()
  }
})
