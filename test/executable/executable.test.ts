// The single executable, alone: copied into an empty directory and run with no node on PATH and no checkout to
// read, it reports its version, crawls the fake federation, serves the API and the site (stylesheet included) from
// its HTTP workers, restarts a dead worker from its own code even after the file on disk was replaced (an upgrade
// before the restart), and stops cleanly on SIGTERM.
// It tests the file named by SEPIA_EXECUTABLE (CI sets it to the dist/sepia that `npm run build` made), else one
// it builds into a temporary directory with the same build.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { Agent, request } from 'node:http'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildExecutable, ROOT } from '../../scripts/build.ts'
import { VERSION } from '../../src/version.ts'
import { finished, hasStackTrace } from '../helpers/cli.ts'
import { childPids, commandLine, connectionOwner } from '../helpers/processes.ts'
import { watchServe } from '../helpers/serve.ts'
import { startFakeFederation, type FakeFederation } from '../fake/federation.ts'

const TIMEOUT = { timeout: 120_000 }

let scratch: string
let dir: string
let exe: string
let fed: FakeFederation
let env: NodeJS.ProcessEnv

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'sepia-executable-'))
  let built = process.env.SEPIA_EXECUTABLE ? resolve(process.env.SEPIA_EXECUTABLE) : join(scratch, 'build', 'sepia')
  if (!process.env.SEPIA_EXECUTABLE) await buildExecutable(built)
  // Nothing but the executable: an empty directory, no node on PATH, a home of its own for the extracted addon.
  dir = join(scratch, 'empty')
  exe = join(dir, 'sepia')
  mkdirSync(dir)
  copyFileSync(built, exe)
  chmodSync(exe, 0o755)
  env = { PATH: join(scratch, 'no-bin'), HOME: dir, LANG: 'C.UTF-8' }
  fed = await startFakeFederation()
  // The federation's test configuration, with the database given relative to the configuration file's folder.
  const raw = JSON.parse(readFileSync(fed.configFile({ crawl: { schedule: '0 0 1 1 *' } }), 'utf8'))
  writeFileSync(join(dir, 'sepia.config.json'), JSON.stringify({ ...raw, database: { path: 'data/sepia.db' } }))
})

after(async () => {
  await fed?.close()
  rmSync(scratch, { recursive: true, force: true })
})

function run(args: string[], cwd: string) {
  return finished(spawn(exe, args, { cwd, env }))
}

test('the executable holds everything: no node on PATH, no checkout path inside, its version from any directory', TIMEOUT, async () => {
  assert.equal(spawnSync('node', ['--version'], { env }).error?.message.includes('ENOENT'), true, 'no node on PATH')
  assert.equal(readFileSync(exe).includes(ROOT), false, 'the executable names no file of the checkout')
  const r = await run(['--version'], tmpdir())
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.trim(), VERSION)

  // A cache directory others could write to is refused with a message for the admin, before any code is loaded.
  const shared = join(scratch, 'shared-cache')
  mkdirSync(shared, { mode: 0o777 })
  chmodSync(shared, 0o777)
  const refused = await finished(spawn(exe, ['stats'], { cwd: dir, env: { ...env, CACHE_DIRECTORY: shared } }))
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /^sepia: the cache directory .*shared-cache must be a directory owned by this user and writable by no one else/)
  assert.ok(!hasStackTrace(refused.stderr), refused.stderr)
})

test('the executable crawls, serves the API and the site with its stylesheet, restarts a dead worker from its own code, and stops on SIGTERM', TIMEOUT, async () => {
  const crawl = await run(['crawl'], dir)
  assert.equal(crawl.code, 0, crawl.stderr)
  assert.ok(!hasStackTrace(crawl.stdout + crawl.stderr), crawl.stderr)
  // The listing pages were decoded on the bundled worker thread, not on the main thread as a fallback.
  assert.doesNotMatch(crawl.stdout + crawl.stderr, /decoder thread|decoded on the main thread/, crawl.stderr)
  // The SQLite addon was written once into a private cache directory of this user.
  const cache = join(dir, '.cache', 'sepia')
  assert.equal(statSync(cache).mode & 0o777, 0o700)

  const serve = await watchServe(spawn(exe, ['serve', '--config', join(dir, 'sepia.config.json'), '--port', '0', '--workers', '2'], { cwd: '/', env }))
  try {
    const port = serve.port
    const origin = `http://127.0.0.1:${port}`
    const api = await fetch(`${origin}/api/v1/search/videos?search=linux`)
    assert.equal(api.status, 200)
    const found = (await api.json()) as { total: number; data: { name: string }[] }
    assert.ok(found.total > 0 && found.data.some((v) => /linux/i.test(v.name)), JSON.stringify(found))
    const page = await fetch(`${origin}/search?search=linux`)
    assert.equal(page.status, 200)
    const html = await page.text()
    const css = /href="(\/static\/style\.[0-9a-f]{12}\.css)"/.exec(html)?.[1]
    assert.ok(css, 'the page links its stylesheet')
    const sheet = await fetch(origin + css)
    assert.equal(sheet.status, 200)
    assert.match(sheet.headers.get('content-type') ?? '', /^text\/css/)
    assert.match(await sheet.text(), /--accent/)

    // An upgrade replaces the file while serve runs; a worker restarted before serve is must still run this code.
    writeFileSync(join(scratch, 'other'), '#!/bin/sh\nexit 3\n', { mode: 0o755 })
    renameSync(join(scratch, 'other'), exe)
    const http = () => childPids(serve.child.pid!).filter((pid) => commandLine(pid) === 'sepia serve: HTTP worker')
    const [victim] = http()
    process.kill(victim!, 'SIGKILL')
    await serve.waitFor(new RegExp(`HTTP worker \\(pid ${victim}\\) killed by SIGKILL; starting another`))
    const replacement = Number((await serve.waitFor(/HTTP worker \(pid (\d+)\) started/))[1])
    assert.equal(commandLine(replacement), 'sepia serve: HTTP worker')
    // Fresh connections go to each worker in turn: both answer, the replacement included.
    const answered = new Set<number>()
    for (let i = 0; i < 4; i++) {
      const client = new Agent({ keepAlive: true, maxSockets: 1 })
      const clientPort = await new Promise<number>((done, fail) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/v1/config', agent: client }, (res) => {
          const local = res.socket.localPort!
          assert.equal(res.statusCode, 200)
          res.resume().on('end', () => done(local))
        })
        req.on('error', fail)
        req.end()
      })
      answered.add(connectionOwner(port, clientPort, http())!)
      client.destroy()
    }
    assert.equal(answered.size, 2, 'both HTTP workers answer, the restarted one included')
    assert.ok(answered.has(replacement))
  } finally {
    serve.child.kill('SIGTERM')
  }
  const r = await serve.exit
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stderr, /stopped\n$/)
  assert.ok(!hasStackTrace(r.stderr), r.stderr)
})
