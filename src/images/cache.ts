// The image proxy's disk cache: one file per source URL, named by the URL's SHA-256 and the picture's type
// (<64 hex>.<ext>), under a byte bound kept by evicting the least recently used files. The folder is the only
// state: at start its files are listed (oldest use first, from their modification times), so the bound holds
// across restarts; a hit refreshes a file's time at most once an hour, so reads rarely write.
import { createHash, randomBytes } from 'node:crypto'
import { accessSync, constants, mkdirSync, readdirSync, statSync } from 'node:fs'
import { readFile, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ImageType } from './fetch.ts'

const EXTENSIONS: Record<ImageType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
}
const TYPE_OF_EXTENSION = new Map(Object.entries(EXTENSIONS).map(([type, ext]) => [ext, type as ImageType]))
const FILE = /^([0-9a-f]{64})\.(jpg|png|gif|webp|avif)$/
const TOUCH_EVERY_MS = 3_600_000

/** A cached picture. */
export type CachedImage = { type: ImageType; body: Buffer }

/** The cache of one gateway. */
export type ImageCache = {
  get(url: string): Promise<CachedImage | null>
  put(url: string, image: CachedImage): Promise<void>
  /** Bytes and files held now. */
  usage(): { bytes: number; files: number }
}

type Entry = { file: string; size: number; usedAt: number }

/** Checks that the cache folder exists (creating it) and is writable; throws a message fit for the admin. */
export function prepareImageCacheDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
    if (!statSync(dir).isDirectory()) throw new Error('not a folder')
    accessSync(dir, constants.W_OK | constants.R_OK)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new Error(`cannot use ${dir} for the image cache (${code ?? (err as Error).message})`)
  }
}

/** The cache key of a source URL. */
export function cacheKey(url: string): string {
  return createHash('sha256').update(url).digest('hex')
}

/**
 * Opens (creating it if needed) the cache folder and lists what it holds, evicting down to `maxBytes`. Throws
 * when the folder cannot be created or read; the caller names the setting.
 */
export function openImageCache(dir: string, maxBytes: number): ImageCache {
  mkdirSync(dir, { recursive: true })
  // Insertion order is use order: the first entry is the least recently used.
  const entries = new Map<string, Entry>()
  let bytes = 0
  const found: (Entry & { key: string })[] = []
  for (const name of readdirSync(dir)) {
    const m = FILE.exec(name)
    const path = join(dir, name)
    if (!m) {
      // A temporary file left by a crash mid-write.
      if (name.startsWith('.tmp-')) void rm(path, { force: true })
      continue
    }
    const st = statSync(path)
    found.push({ key: m[1]!, file: name, size: st.size, usedAt: st.mtimeMs })
  }
  for (const e of found.sort((a, b) => a.usedAt - b.usedAt)) {
    entries.set(e.key, { file: e.file, size: e.size, usedAt: e.usedAt })
    bytes += e.size
  }

  const evict = async () => {
    const doomed: string[] = []
    for (const [key, e] of entries) {
      if (bytes <= maxBytes) break
      entries.delete(key)
      bytes -= e.size
      doomed.push(e.file)
    }
    await Promise.all(doomed.map((f) => rm(join(dir, f), { force: true })))
  }
  void evict()

  return {
    usage: () => ({ bytes, files: entries.size }),
    async get(url) {
      const key = cacheKey(url)
      const e = entries.get(key)
      if (!e) return null
      let body: Buffer
      try {
        body = await readFile(join(dir, e.file))
      } catch {
        // Removed behind our back: forget it and fetch again.
        if (entries.get(key) === e) {
          entries.delete(key)
          bytes -= e.size
        }
        return null
      }
      entries.delete(key)
      entries.set(key, e)
      const now = Date.now()
      if (now - e.usedAt > TOUCH_EVERY_MS) {
        e.usedAt = now
        void utimes(join(dir, e.file), now / 1000, now / 1000).catch(() => {})
      }
      return { type: TYPE_OF_EXTENSION.get(e.file.split('.')[1]!)!, body }
    },
    async put(url, image) {
      // A picture bigger than the whole cache is served but not kept.
      if (image.body.length > maxBytes) return
      const key = cacheKey(url)
      const file = `${key}.${EXTENSIONS[image.type]}`
      // Written aside, then renamed: a reader never sees half a file, and a crash leaves only a .tmp- file.
      const tmp = join(dir, `.tmp-${randomBytes(6).toString('hex')}`)
      await writeFile(tmp, image.body)
      await rename(tmp, join(dir, file))
      const previous = entries.get(key)
      if (previous) {
        entries.delete(key)
        bytes -= previous.size
        if (previous.file !== file) await rm(join(dir, previous.file), { force: true })
      }
      entries.set(key, { file, size: image.body.length, usedAt: Date.now() })
      bytes += image.body.length
      await evict()
    },
  }
}
