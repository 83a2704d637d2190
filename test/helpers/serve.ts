// A running `sepia serve` for end-to-end tests, started once it listens (it logs its address when every HTTP
// worker does); its stderr can be waited on line by line.
import type { ChildProcess } from 'node:child_process'
import { finished, spawnCli, type CliResult } from './cli.ts'

/** A `sepia serve` child process that listens on a port of 127.0.0.1. */
export type ServeProcess = {
  child: ChildProcess
  port: number
  origin: string
  /** Resolves when the process and every process holding its output (its workers) are gone. */
  exit: Promise<CliResult>
  stderr(): string
  /** Resolves with the first match of `pattern` in stderr, now or later; rejects if serve exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>
  /** Sends SIGTERM and resolves when it and its workers are gone. */
  stop(): Promise<CliResult>
}

/** Starts `sepia serve --config FILE --port 0 …args` from the checkout and resolves once it listens. */
export function startServe(configFile: string, ...args: string[]): Promise<ServeProcess> {
  return watchServe(spawnCli(['serve', '--config', configFile, '--port', '0', ...args]))
}

/** Follows a `sepia serve` process started some other way (the built executable) until it listens. */
export async function watchServe(child: ChildProcess): Promise<ServeProcess> {
  const exit = finished(child)
  let stderr = ''
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = []
  child.stderr!.on('data', (d) => {
    stderr += d
    for (const w of [...waiters]) {
      const m = stderr.match(w.pattern)
      if (m) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(m)
      }
    }
  })
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const m = stderr.match(pattern)
      if (m) return resolve(m)
      waiters.push({ pattern, resolve })
      void exit.then((r) => reject(new Error(`serve exited (${r.code ?? r.signal}) before ${pattern}: ${r.stderr}`)))
    })
  const port = Number((await waitFor(/listening on http:\/\/[^:]+:(\d+)/))[1])
  return {
    child,
    port,
    origin: `http://127.0.0.1:${port}`,
    exit,
    stderr: () => stderr,
    waitFor,
    stop: () => {
      child.kill('SIGTERM')
      return exit
    },
  }
}
