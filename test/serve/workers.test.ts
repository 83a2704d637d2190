// `sepia serve` as processes: N HTTP workers and one crawler under a supervisor. Every worker reads the one
// database, so a block made with the CLI shows on each of them at once; a worker that dies is restarted (the
// crawler resumes its crawl); Ctrl-C, which signals the whole process group, stops everything once, gracefully.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Agent, request } from 'node:http'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { openDb } from '../../src/db/open.ts'
import { finished, hasStackTrace, runCli, spawnCli } from '../helpers/cli.ts'
import { crawledFederation } from '../helpers/crawled.ts'
import { childPids, commandLine, connectionOwner } from '../helpers/processes.ts'
import { startServe, watchServe, type ServeProcess } from '../helpers/serve.ts'
import { startFakeFederation } from '../fake/federation.ts'
import { ok } from '../admin/cli.ts'

const TIMEOUT = { timeout: 90_000 }
const NEVER = '0 0 1 1 *'

/** Waits until `check` returns a value (polling /proc, which has no events to wait on), or fails after 45 s. */
async function until<T>(what: () => string, check: () => T | null | undefined | false): Promise<T> {
  const deadline = Date.now() + 45_000
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`)
    await sleep(20)
  }
}

/** The supervisor's workers by role, once there are `http` HTTP workers and `crawlers` crawlers. */
function workers(serve: ServeProcess, http: number, crawlers: number): Promise<{ http: number[]; crawler: number[] }> {
  let kids: { pid: number; title: string }[] = []
  const what = () => `${http} HTTP workers and ${crawlers} crawler; found ${JSON.stringify(kids)}; serve said:\n${serve.stderr()}`
  return until(what, () => {
    kids = childPids(serve.child.pid!).map((pid) => ({ pid, title: commandLine(pid) }))
    const found = {
      http: kids.filter((k) => k.title === 'sepia serve: HTTP worker').map((k) => k.pid),
      crawler: kids.filter((k) => k.title === 'sepia serve: crawler').map((k) => k.pid),
    }
    return found.http.length === http && found.crawler.length === crawlers && found
  })
}

type Answer = { status: number; body: any; clientPort: number }

/** A GET on the agent's one keep-alive connection (each client below keeps its own, hence its own worker). */
function get(agent: Agent, port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      const clientPort = res.socket.localPort!
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text, clientPort }))
    })
    req.on('error', reject)
    req.end()
  })
}

const videoHosts = (a: Answer) => new Set((a.body.data as { account: { host: string } }[]).map((v) => v.account.host))

test('serve --workers 3 runs three HTTP workers and one crawler, and a block made with the CLI shows on every worker at once', TIMEOUT, async () => {
  const c = await crawledFederation()
  const file = c.federation.configFile({ crawl: { schedule: NEVER } })
  const serve = await startServe(file, '--workers', '3')
  const clients = Array.from({ length: 6 }, () => new Agent({ keepAlive: true, maxSockets: 1 }))
  try {
    const port = serve.port
    assert.match(serve.stderr(), /listening on http:\/\/127\.0\.0\.1:\d+ \(3 HTTP workers, 1 crawler\)/)
    const pids = await workers(serve, 3, 1)
    const [a, b] = c.federation.instances
    const search = '/api/v1/search/videos?search=linux&nsfw=both&count=100'

    // Each client's connection is served by one worker; six connections reach all three, and each worker has run
    // the search (and could have cached something) before the block.
    const owners = new Map<Agent, number>()
    for (const client of clients) {
      const before = await get(client, port, search)
      assert.deepEqual(videoHosts(before), new Set([a!.host, b!.host]))
      owners.set(client, connectionOwner(port, before.clientPort, pids.http)!)
    }
    assert.deepEqual(new Set(owners.values()), new Set(pids.http), 'every HTTP worker answered a client')

    await ok(file, 'instances', 'block', b!.host, '--reason', 'spam')
    for (const client of clients) {
      const after = await get(client, port, search)
      assert.equal(connectionOwner(port, after.clientPort, pids.http), owners.get(client), 'the same worker as before')
      assert.deepEqual(videoHosts(after), new Set([a!.host]), `worker ${owners.get(client)} no longer shows the blocked host`)
      const channels = await get(client, port, '/api/v1/search/video-channels?search=bob')
      assert.equal(channels.body.total, 0, `worker ${owners.get(client)} no longer shows the blocked host's channel`)
    }
  } finally {
    for (const client of clients) client.destroy()
    serve.child.kill('SIGTERM')
    const r = await serve.exit
    assert.equal(r.code, 0, r.stderr)
    await c.close()
  }
})

test('a worker that dies is restarted and logged; a crawler killed mid-crawl is restarted and resumes the crawl', TIMEOUT, async () => {
  const fed = await startFakeFederation()
  try {
    for (const i of fed.instances) i.spec.latencyMs = 5
    const file = fed.configFile({ crawl: { schedule: NEVER, concurrency: 1 } })
    // The first crawl (a new index) is under way.
    const first = fed.instances[0]!
    const crawling = new Promise<void>((resolve) => {
      first.spec.respond = () => {
        if (first.requests.length === 20) resolve()
        return undefined
      }
    })
    const serve = await startServe(file, '--workers', '2')
    const port = serve.port
    await crawling
    const before = await workers(serve, 2, 1)

    process.kill(before.crawler[0]!, 'SIGKILL')
    await serve.waitFor(new RegExp(`crawler \\(pid ${before.crawler[0]}\\) killed by SIGKILL; starting another`))
    await serve.waitFor(/crawl done \(resumed\): (\d+)\/\1 instances ok/)

    const [victim, survivor] = before.http as [number, number]
    process.kill(victim, 'SIGKILL')
    await serve.waitFor(new RegExp(`HTTP worker \\(pid ${victim}\\) killed by SIGKILL; starting another`))
    const replacement = Number((await serve.waitFor(/HTTP worker \(pid (\d+)\) started/))[1])
    const after = await workers(serve, 2, 1)
    assert.deepEqual(new Set(after.http), new Set([survivor, replacement]), 'a new HTTP worker took the dead one’s place')
    // Fresh connections go to each worker in turn: both answer, the new one included.
    const answered = new Set<number>()
    for (let i = 0; i < 4; i++) {
      const client = new Agent({ keepAlive: true, maxSockets: 1 })
      const res = await get(client, port, '/api/v1/search/videos?search=linux')
      assert.equal(res.status, 200)
      answered.add(connectionOwner(port, res.clientPort, after.http)!)
      client.destroy()
    }
    assert.deepEqual(answered, new Set(after.http))

    serve.child.kill('SIGTERM')
    const r = await serve.exit
    assert.equal(r.code, 0, r.stderr)
    assert.ok(!hasStackTrace(r.stderr), r.stderr)
    const db = openDb(fed.config().database.path)
    try {
      const indexed = db.prepare('SELECT count(*) FROM videos').pluck().get() as number
      assert.equal(indexed, fed.instances.reduce((n, i) => n + i.expected().videos.length, 0), 'the resumed crawl indexed everything')
    } finally {
      db.close()
    }
  } finally {
    await fed.close()
  }
})

test('Ctrl-C, which signals every process of the group, stops serve once and gracefully', TIMEOUT, async () => {
  const fed = await startFakeFederation()
  try {
    const file = fed.configFile({ crawl: { schedule: NEVER } })
    const serve = await watchServe(spawnCli(['serve', '--config', file, '--port', '0', '--workers', '2'], {}, { detached: true }))
    await workers(serve, 2, 1)
    process.kill(-serve.child.pid!, 'SIGINT')
    const r = await serve.exit
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr.match(/SIGINT received/g)?.length, 1, r.stderr)
    assert.doesNotMatch(r.stderr, /exiting now|killed by|starting another/)
    assert.match(r.stderr, /stopped\n$/)
  } finally {
    await fed.close()
  }
})

test('serve refuses a bad --workers, an in-memory database and a port already taken, with a clear message and status 1', TIMEOUT, async () => {
  const fed = await startFakeFederation()
  const taken = createServer()
  try {
    const file = fed.configFile({ crawl: { schedule: NEVER } })
    for (const bad of ['0', 'two', '1.5', '65']) {
      const r = await runCli(['serve', '--config', file, '--workers', bad])
      assert.equal(r.code, 1, r.stderr)
      assert.match(r.stderr, new RegExp(`option '--workers <n>' argument '${bad.replace('.', '\\.')}' is invalid\\. must be a whole number from 1 to 64`))
    }
    const memory = fed.configFile({ database: { path: ':memory:' } }, 'memory.json')
    const inMemory = await runCli(['serve', '--config', memory])
    assert.equal(inMemory.code, 1)
    assert.match(inMemory.stderr, /^sepia: sepia serve needs a database file, not database.path ":memory:"/)
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    const r = await finished(spawnCli(['serve', '--config', file, '--port', String(port), '--workers', '2']))
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE`))
    assert.ok(!hasStackTrace(r.stderr), r.stderr)
  } finally {
    taken.close()
    await fed.close()
  }
})
