import { spawnCli, finished, type CliResult } from './cli.ts'

/** A running `sepia serve` child process on a free port of 127.0.0.1. */
export type ServeProcess = { port: number; origin: string; stop(): Promise<CliResult> }

/** Starts `sepia serve --port 0 --no-crawl` with this configuration and resolves once it listens. */
export async function startServe(configFile: string): Promise<ServeProcess> {
  const child = spawnCli(['serve', '--config', configFile, '--port', '0', '--no-crawl'])
  const exit = finished(child)
  const port = await new Promise<number>((resolve, reject) => {
    let stderr = ''
    child.stderr!.on('data', (d) => {
      stderr += d
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(stderr)
      if (m) resolve(Number(m[1]))
    })
    void exit.then((r) => reject(new Error(`serve exited (${r.code ?? r.signal}) before listening: ${r.stderr}`)))
  })
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    stop: () => {
      child.kill('SIGTERM')
      return exit
    },
  }
}
