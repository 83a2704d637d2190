// Extra behaviours for the fake instances, through their `respond` knob: a follow graph for `discover`, a
// robots.txt, and a plain web server that is not PeerTube (for `check`).
import type { FakeInstance, FakeRequest, FakeResponse } from '../fake/federation.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

type Respond = (req: FakeRequest) => FakeResponse | undefined

/** One follow as PeerTube's /api/v1/server/followers|following list it (contract §3.7). */
function follow(id: number, follower: string, following: string, state = 'accepted') {
  const actor = (host: string) => ({ id, name: 'peertube', host, url: `https://${host}/accounts/peertube`, displayName: host, followersCount: 1, followingCount: 1 })
  return { id, follower: actor(follower), following: actor(following), score: 20, state, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z' }
}

/** Serves the instance's followers and followings, paged like PeerTube (start, count ≤ 100, else 400). */
export function followGraph(instance: FakeInstance, graph: { followers?: string[]; following?: string[]; pending?: string[] }): Respond {
  return (r) => {
    const m = /^\/api\/v1\/server\/(followers|following)$/.exec(r.path)
    if (!m) return undefined
    const count = Number(r.query.count ?? 15)
    const start = Number(r.query.start ?? 0)
    if (!(count >= 0 && count <= 100)) return { status: 400, body: { error: 'Should have a number count (between 0 and 100)' } }
    const all =
      m[1] === 'followers'
        ? [...(graph.followers ?? []).map((h, i) => follow(i + 1, h, instance.host)), ...(graph.pending ?? []).map((h, i) => follow(1000 + i, h, instance.host, 'pending'))]
        : (graph.following ?? []).map((h, i) => follow(i + 1, instance.host, h))
    return { status: 200, body: { total: all.length, data: all.slice(start, start + count) } }
  }
}

/** Serves this text as /robots.txt. */
export function robotsTxt(text: string): Respond {
  return (r) => (r.path === '/robots.txt' ? { status: 200, raw: text, headers: { 'content-type': 'text/plain; charset=utf-8' } } : undefined)
}

/** The first answer of several behaviours. */
export function both(...behaviours: Respond[]): Respond {
  return (r) => {
    for (const b of behaviours) {
      const answer = b(r)
      if (answer) return answer
    }
    return undefined
  }
}

/** A web server that is not PeerTube: a home page in HTML, 404 in HTML everywhere else (like a blog). */
export function startPlainWebsite(): Promise<TestServer> {
  return startServer((req, res) => {
    const home = req.url === '/'
    res.writeHead(home ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
    res.end(home ? '<!doctype html><title>My blog</title><p>Hello' : '<!doctype html><title>Not found</title><h1>404</h1>')
  })
}
