// The site's own static files (stylesheet, enhancement script, default logo), read once at startup and served
// under content-hashed names so browsers may cache them for a year: a new version gets a new URL.
import { createHash } from 'node:crypto'
import { assetNames, readAsset } from '../../assets.ts'
import type { Config } from '../../config/config.ts'

const STATIC_DIR = 'views/static/'
const CATALOGUE_DIR = 'views/i18n/'

/** One static file as served. */
export type Asset = { name: string; body: string; type: string; hash: string }

/** The static files of one site, and the hashed URLs pages link to. */
export type Assets = {
  files: Map<string, Asset>
  urls: { css: string; js: string; logo: string }
}

function asset(name: string, type: string, body: string): Asset {
  return { name, body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) }
}

const hashedUrl = (a: Asset) => `/static/${a.name.replace(/\.(\w+)$/, `.${a.hash}.$1`)}`

/** Reads the static files and bakes the configured theme colour into the stylesheet (no inline styles: CSP). */
export function buildAssets(site: Config['site']): Assets {
  const read = (file: string) => readAsset(STATIC_DIR + file).toString('utf8')
  // themeColor is validated as a hex colour by the config schema, so it cannot break out of the declaration.
  const css = asset('style.css', 'text/css; charset=utf-8', `:root{--accent:${site.themeColor}}\n${read('style.css')}`)
  const js = asset('enhance.js', 'text/javascript; charset=utf-8', read('enhance.js'))
  const logo = asset('logo.svg', 'image/svg+xml', read('logo.svg'))
  const files = new Map([css, js, logo].map((a) => [a.name, a]))
  return {
    files,
    urls: { css: hashedUrl(css), js: hashedUrl(js), logo: site.logoUrl ?? hashedUrl(logo) },
  }
}

/** Finds the file a /static/ URL names: `style.<hash>.css` (current, immutable) or `style.css` (any version). */
export function findAsset(assets: Assets, file: string): { asset: Asset; immutable: boolean } | null {
  const m = /^([\w-]+)(?:\.([0-9a-f]{12}))?\.(\w+)$/.exec(file)
  if (!m) return null
  const a = assets.files.get(`${m[1]}.${m[3]}`)
  if (!a) return null
  return { asset: a, immutable: m[2] === a.hash }
}

/** The interface's message catalogues, views/i18n/<language tag>.json, by language tag: each file is a language. */
export function readCatalogues(): Record<string, string> {
  const files: Record<string, string> = {}
  for (const name of assetNames(CATALOGUE_DIR)) {
    const m = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.json$/.exec(name)
    if (m) files[m[1]!] = readAsset(CATALOGUE_DIR + name).toString('utf8')
  }
  return files
}
