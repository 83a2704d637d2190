import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { closeServer, listen } from '../fake/instance.ts'

/** A throwaway HTTP server on 127.0.0.1 with a request log. */
export type TestServer = { origin: string; port: number; requests: { url: string; headers: IncomingMessage['headers']; at: number }[]; close(): Promise<void> }

/** Starts an HTTP server on a free port of 127.0.0.1 with the given handler. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const requests: TestServer['requests'] = []
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '/', headers: req.headers, at: performance.now() })
    handler(req, res)
  })
  const port = await listen(server)
  return { origin: `http://127.0.0.1:${port}`, port, requests, close: () => closeServer(server) }
}

/** A port of 127.0.0.1 on which nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  await closeServer(server)
  return port
}
