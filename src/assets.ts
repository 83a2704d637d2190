// The files Sepia reads at run time (package.json, the migrations, the site's static files, the SQLite addon) are
// named by their path in the repository and read only through this module: from the checkout when Sepia runs from
// source, from the assets embedded in the executable when it runs as `dist/sepia` (see scripts/build.ts).
import { createHash, randomBytes } from 'node:crypto'
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getAsset, isSea } from 'node:sea'

/** The asset listing every embedded file's name, written by the build next to the files themselves. */
export const MANIFEST_ASSET = 'sepia-manifest.json'

const embedded = isSea()
// Only ever evaluated in the checkout: the executable's bundle has no module URL, and needs none.
const root = embedded ? '' : fileURLToPath(new URL('../', import.meta.url))
let manifest: string[] | null = null

/** A file Sepia needs cannot be given to it (a cache directory it may not use): a problem for the admin to fix. */
export class AssetError extends Error {
  override name = 'AssetError'
}

/** True when running as the single executable built by `npm run build`. */
export function runsEmbedded(): boolean {
  return embedded
}

/** The contents of one file, named by its path in the repository (`views/static/style.css`). */
export function readAsset(name: string): Buffer {
  if (!embedded) return readFileSync(join(root, name))
  if (!embeddedNames().includes(name)) throw new Error(`${name} is not embedded in this executable`)
  return Buffer.from(getAsset(name))
}

/** The names of the files in one folder of the repository (`migrations/`), sorted, without the folder. */
export function assetNames(folder: string): string[] {
  const prefix = folder.endsWith('/') ? folder : `${folder}/`
  if (!embedded) return readdirSync(join(root, prefix), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort()
  return embeddedNames()
    .filter((n) => n.startsWith(prefix) && !n.slice(prefix.length).includes('/'))
    .map((n) => n.slice(prefix.length))
    .sort()
}

/**
 * A path on disk holding this asset, for what the system must load from a file (the SQLite addon). In the checkout
 * it is the file itself; the executable writes it once into a private cache directory, named by its content's
 * hash, and checks at every start that the copy there is still byte for byte the embedded one.
 */
export function assetFile(name: string): string {
  if (!embedded) return join(root, name)
  const body = readAsset(name)
  const dir = privateCacheDir()
  const ext = posix.extname(name)
  const base = posix.basename(name, ext)
  const file = join(dir, `${base}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}${ext}`)
  if (sameContent(file, body)) return file
  // Written under a unique name and renamed, so a process starting at the same time never loads half a file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, body, { mode: 0o700 })
  renameSync(tmp, file)
  // Copies from earlier versions are no longer needed (a process still running one keeps its mapping).
  for (const old of readdirSync(dir)) {
    if (old !== posix.basename(file) && old.startsWith(`${base}-`) && old.endsWith(ext)) rmSync(join(dir, old), { force: true })
  }
  return file
}

function embeddedNames(): string[] {
  manifest ??= JSON.parse(getAsset(MANIFEST_ASSET, 'utf8')) as string[]
  return manifest
}

function sameContent(file: string, body: Buffer): boolean {
  try {
    return readFileSync(file).equals(body)
  } catch {
    return false
  }
}

/**
 * Where the executable keeps files it must extract: systemd's CacheDirectory= ($CACHE_DIRECTORY), else
 * $XDG_CACHE_HOME/sepia, else ~/.cache/sepia, else a per-user folder of the temporary directory. Since code is
 * loaded from it, it must be a real directory of this user that no one else may write to.
 */
export function privateCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const absolute = (p: string | undefined) => (p && isAbsolute(p) ? p : undefined)
  const dir =
    absolute(env.CACHE_DIRECTORY?.split(':')[0]) ??
    (absolute(env.XDG_CACHE_HOME) && join(env.XDG_CACHE_HOME!, 'sepia')) ??
    (absolute(env.HOME) && join(env.HOME!, '.cache', 'sepia')) ??
    join(tmpdir(), `sepia-${process.getuid?.() ?? 'user'}`)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const st = lstatSync(dir)
  const uid = process.getuid?.()
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw new AssetError(
      `the cache directory ${dir} must be a directory owned by this user and writable by no one else ` +
        '(Sepia loads its SQLite library from it); set XDG_CACHE_HOME to another directory',
    )
  }
  return dir
}
