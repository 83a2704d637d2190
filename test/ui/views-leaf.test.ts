// views/ is a leaf: at run time it imports nothing from the HTTP layer (only types may cross), so pages can be
// rendered and tested on their own and nothing in src/http/ can come to depend on itself through them. And the
// site's security headers are set in one place, for every response, by createApp.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { parseConfig } from '../../src/config/config.ts'
import { openDb } from '../../src/db/open.ts'
import { migrate } from '../../src/db/migrate.ts'
import { createApp } from '../../src/http/app.ts'
import { uiRoutes } from '../../src/http/ui/routes.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

// The modules a file loads at run time: imports and re-exports that are not type-only, and dynamic imports.
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly))
      if (!typeOnly) found.push(node.moduleSpecifier.text)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      found.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)) {
      found.push((node.arguments[0] as ts.StringLiteral).text)
    } else if (ts.isImportTypeNode(node)) {
      return // typeof import('…') is a type
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s))
}

test('views import nothing at run time from src/http/, directly or through another module', () => {
  const seen = new Set<string>()
  const offending: string[] = []
  const walk = (file: string, via: string[]) => {
    if (seen.has(file)) return
    seen.add(file)
    const rel = relative(ROOT, file)
    if (rel.startsWith('src/http/')) offending.push([...via, rel].join(' → '))
    if (!file.endsWith('.ts')) return
    for (const dep of runtimeImports(file)) walk(dep, [...via, rel])
  }
  for (const file of tsFiles(join(ROOT, 'views'))) walk(file, [])
  assert.deepEqual(offending, [])
  assert.ok(seen.size > 10, 'the walk followed the views')
})

test('the security headers are set once, by createApp, for the site as for the API', async () => {
  const config = parseConfig({ database: { path: ':memory:' } })
  const db = openDb(':memory:')
  migrate(db)
  try {
    const site = await uiRoutes({ db, config }).request('/')
    assert.equal(site.status, 200)
    assert.equal(site.headers.get('Content-Security-Policy'), null, 'the site routes leave security headers to createApp')
    const app = createApp({ db, config })
    for (const path of ['/', '/about', '/nowhere', '/api/v1/config']) {
      const res = await app.request(path)
      assert.match(res.headers.get('Content-Security-Policy') ?? '', /default-src 'none'/, path)
      assert.equal(res.headers.get('Referrer-Policy'), 'no-referrer', path)
    }
  } finally {
    db.close()
  }
})
