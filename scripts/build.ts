// `npm run build`: dist/sepia, one executable file that runs Sepia on a Linux machine with no Node, no checkout and
// no node_modules. It is a Node single executable application (SEA) made with the Node that runs this script:
//   1. esbuild bundles src/main.ts and every dependency into one CommonJS script (what a SEA runs), and the page
//      decoder's worker thread into another, embedded as an asset (src/crawler/decode-thread.ts starts it);
//   2. the assets Sepia reads at run time (see src/assets.ts) are listed in a manifest, and Node writes the
//      preparation blob: the script, V8's code cache for it (a faster start) and the assets;
//   3. a copy of the node binary, stripped of its debugging symbols when `strip` is available, gets the blob
//      injected by postject, and replaces dist/sepia in one rename.
// Options: --out FILE (default dist/sepia).
import { build, type BuildOptions } from 'esbuild'
import { inject } from 'postject'
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, posix, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { MANIFEST_ASSET } from '../src/assets.ts'
import { SQLITE_ADDON } from '../src/db/open.ts'
import { MIGRATIONS_FOLDER } from '../src/db/migrate.ts'
import { DECODER_ASSET } from '../src/crawler/decode-thread.ts'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** What the executable embeds: files and whole folders (ending in /), by their path in the repository. */
export const EMBEDDED = ['package.json', MIGRATIONS_FOLDER, 'views/static/', 'views/i18n/', SQLITE_ADDON]

// The sentinel Node's binary carries to say whether a blob was injected (documented with SEAs).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'

/** Builds the executable at `out`; `log` hears of each step. Returns the file's size in bytes. */
export async function buildExecutable(out: string, log: (line: string) => void = () => {}): Promise<number> {
  const work = `${out}.build`
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  try {
    const started = performance.now()
    const step = (what: string) => log(`${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`)

    // One CommonJS script per entry, every dependency bundled in, for the Node that runs this build.
    const bundle = (entry: string, outfile: string, options: BuildOptions = {}) =>
      build({ entryPoints: [join(ROOT, entry)], outfile, bundle: true, platform: 'node', format: 'cjs', target: `node${process.versions.node}`, logLevel: 'warning', ...options })
    const script = join(work, 'sepia.cjs')
    await bundle('src/main.ts', script, {
      // CommonJS has no import.meta: modules that compute paths from their URL (node-cron does) get the
      // executable's own. Sepia reads nothing beside it: src/assets.ts reads the embedded assets.
      banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__import_meta_url' },
    })
    // The worker runs as an evaluated script: CommonJS, Node's own modules only (valibot is bundled in).
    const decoder = join(work, DECODER_ASSET)
    await bundle('src/crawler/page-decoder.worker.ts', decoder)
    step('bundled src/main.ts and the page decoder')

    const names = EMBEDDED.flatMap((entry) => (entry.endsWith('/') ? filesUnder(entry) : [entry]))
    const manifest = join(work, MANIFEST_ASSET)
    writeFileSync(manifest, JSON.stringify(names))
    const seaConfig = join(work, 'sea-config.json')
    const blob = join(work, 'sea-prep.blob')
    writeFileSync(
      seaConfig,
      JSON.stringify({
        // Relative, so that the name stack traces give the bundle is sepia.cjs and not the build's folder.
        main: 'sepia.cjs',
        output: blob,
        disableExperimentalSEAWarning: true,
        useCodeCache: true,
        assets: { [MANIFEST_ASSET]: manifest, [DECODER_ASSET]: decoder, ...Object.fromEntries(names.map((n) => [n, join(ROOT, n)])) },
      }),
    )
    run(process.execPath, ['--experimental-sea-config', seaConfig], { cwd: work })
    step(`wrote the SEA blob (${names.length} assets)`)

    const binary = join(work, 'sepia')
    copyFileSync(process.execPath, binary)
    if (run('strip', [binary], { optional: true })) step('stripped the node binary')
    else step('`strip` not found: the node binary keeps its debugging symbols')
    await quietly(() => inject(binary, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE }))
    chmodSync(binary, 0o755)
    mkdirSync(dirname(out), { recursive: true })
    renameSync(binary, out)
    step(`injected the blob: ${relative(process.cwd(), out) || out}`)
    return statSync(out).size
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => posix.join(relative(ROOT, e.parentPath), e.name))
    .sort()
}

// Runs a tool, keeping its chatter unless it fails; false if an optional tool is not installed.
function run(command: string, args: string[], { optional = false, cwd = ROOT } = {}): boolean {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (r.error && optional && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return false
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`)
  return true
}

// postject's ELF library warns about every note section of Node's binary it cannot name, harmlessly; other warnings
// still show. The library binds console.warn when inject() loads it, hence the swap around the call.
async function quietly(work: () => Promise<void>): Promise<void> {
  const warn = console.warn
  console.warn = (...args: unknown[]) => {
    if (!/^warning: Can't find string offset for section name/.test(String(args[0]))) warn(...args)
  }
  try {
    await work()
  } finally {
    console.warn = warn
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: join(ROOT, 'dist/sepia') } } })
  const out = resolve(values.out!)
  const size = await buildExecutable(out, (line) => process.stderr.write(`${line}\n`))
  process.stderr.write(`built ${out}: ${(size / 2 ** 20).toFixed(1)} MiB, Node ${process.version}\n`)
}
