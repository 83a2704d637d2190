// The HTTP layer's modules form a tree: createApp (app.ts) imports the routes, and nothing imports back into it.
// A cycle (as when the routes took AppDeps from app.ts) makes load order matter and hides which module owns what.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ROOT } from '../helpers/cli.ts'

const HTTP = join(ROOT, 'src/http')

/** Every .ts file under src/http with the src/http files it imports (type-only imports included). */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(HTTP, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(HTTP, f))
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    const targets = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => resolve(dirname(file), m[1]!))
    graph.set(file, targets.filter((t) => t.startsWith(HTTP + '/')))
  }
  return graph
}

test('src/http has no import cycle', () => {
  const graph = importGraph()
  assert.ok(graph.size > 10 && [...graph.values()].some((t) => t.length > 0), 'the graph was read')
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(HTTP, f)).join(' → '))
      return
    }
    state.set(file, 'open')
    for (const next of graph.get(file) ?? []) visit(next, [...path, file])
    state.set(file, 'done')
  }
  for (const file of graph.keys()) visit(file, [])
  assert.deepEqual(cycles, [])
})
