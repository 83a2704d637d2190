import { readFileSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import * as v from 'valibot'
import cron from 'node-cron'
import { VERSION } from '../version.ts'

/** Where the configuration is read from when neither --config nor SEPIA_CONFIG says otherwise. */
export const DEFAULT_CONFIG_PATH = 'sepia.config.json'

const DEFAULT_LIST_URL = 'https://instances.joinpeertube.org/api/v1/instances/hosts'

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max))
const text = v.pipe(v.string(), v.trim())
// A host as PeerTube writes it: lower-case name with an optional port, no scheme, no path.
const host = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, 'must be a bare host name such as "video.example.org"'),
)
const httpUrl = v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//, 'must be an http(s) URL'))
// A key an older Sepia read: refused with a message saying what replaced it, rather than as an unknown key.
const retired = (message: string) => v.optional(v.custom<never>(() => false, message))
const RATE_LIMIT_RETIRED =
  'no longer used: clients now share the server fairly instead of being refused; see api.perClientConcurrency and api.perClientQueue'
const cronExpression = v.pipe(
  v.string(),
  v.check((s) => cron.validate(s), 'must be a valid cron expression such as "0 */6 * * *"'),
)

const ConfigSchema = v.strictObject({
  $schema: v.optional(v.string()),
  listen: v.optional(
    v.strictObject({
      host: v.optional(text, '127.0.0.1'),
      port: v.optional(int(0, 65535), 3234),
      trustProxy: v.optional(v.boolean(), false),
    }),
    {},
  ),
  database: v.optional(
    v.strictObject({
      path: v.optional(v.pipe(text, v.nonEmpty('must not be empty')), 'data/sepia.db'),
    }),
    {},
  ),
  instances: v.optional(
    v.strictObject({
      listUrl: v.optional(v.nullable(httpUrl), DEFAULT_LIST_URL),
      hosts: v.optional(v.array(host), []),
      blocked: v.optional(v.array(host), []),
      maxListPages: v.optional(int(1, 1000), 50),
      // Index only the hosts the admin names (instances.hosts and `sepia instances add`), ignoring listUrl.
      allowlistOnly: v.optional(v.boolean(), false),
    }),
    {},
  ),
  crawl: v.optional(
    v.strictObject({
      // When the instance list is read again (each instance is re-crawled on its own clock, intervalMinutes).
      schedule: v.optional(cronExpression, '0 */6 * * *'),
      intervalMinutes: v.optional(v.pipe(v.number(), v.minValue(0.001), v.maxValue(525_600)), 360),
      // Pacing is per host, so many hosts can be crawled at once; memory and sockets stay bounded per host.
      concurrency: v.optional(int(1, 256), 64),
      perHostConcurrency: v.optional(int(1, 16), 1),
      // The pace for hosts that advertise no limit, and the starting pace; the high maximum is for tests.
      perHostRequestsPerSecond: v.optional(v.pipe(v.number(), v.minValue(0.01), v.maxValue(1000)), 1),
      // Well under an advertised limit (PeerTube: 50 API requests per 10 s per client IP).
      rateLimitShare: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(1)), 0.6),
      // Time and requests one instance's turn may take; what is left continues at its next turn.
      budgetSeconds: v.optional(v.pipe(v.number(), v.minValue(0.01), v.maxValue(86_400)), 600),
      budgetRequests: v.optional(int(1, 10_000_000), 2000),
      // An instance that answered before is failed only after failing this long without a single success.
      failAfterMinutes: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1440)), 10),
      // First delay before a failed instance is tried again; doubled per consecutive failure, up to a day.
      failureBackoffMinutes: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1440)), 10),
      timeoutMs: v.optional(int(100, 600_000), 15_000),
      userAgent: v.optional(v.pipe(text, v.nonEmpty('must not be empty'))),
      allowPrivateAddresses: v.optional(v.boolean(), false),
      useHttp: v.optional(v.boolean(), false),
      maxResponseBytes: v.optional(int(1024, 1024 ** 3), 8 * 1024 * 1024),
      maxRetries: v.optional(int(0, 10), 3),
      maxRetryDelayMs: v.optional(int(0, 3_600_000), 60_000),
      // First retry delay when the server gives no Retry-After; doubled on each further retry.
      retryBaseDelayMs: v.optional(int(0, 600_000), 2_000),
      maxVideosPerInstance: v.optional(int(1, 10_000_000), 200_000),
    }),
    {},
  ),
  api: v.optional(
    v.strictObject({
      // Fair sharing (src/http/fair-share.ts). A PeerTube instance forwarding its users' searches has up to about
      // 24 requests in flight (8 users, 3 requests per search page) and never retries: 4 + 60 leaves it room.
      perClientConcurrency: v.optional(int(1, 1000), 4),
      perClientQueue: v.optional(int(0, 100_000), 60),
      maxBodyBytes: v.optional(int(1024, 16 * 1024 * 1024), 256 * 1024),
      rateLimitPerMinute: retired(RATE_LIMIT_RETIRED),
      rateLimitBurst: retired(RATE_LIMIT_RETIRED),
    }),
    {},
  ),
  moderation: v.optional(
    v.strictObject({
      // Let the site and GET /api/v1/moderation/blocks show the blocked hosts and why they were blocked.
      publishBlocks: v.optional(v.boolean(), false),
    }),
    {},
  ),
  site: v.optional(
    v.strictObject({
      name: v.optional(v.pipe(text, v.nonEmpty('must not be empty')), 'Sepia'),
      url: v.optional(v.nullable(httpUrl), null),
      description: v.optional(text, 'A search engine for videos published on PeerTube instances.'),
      logoUrl: v.optional(v.nullable(v.string()), null),
      themeColor: v.optional(v.pipe(v.string(), v.hexColor('must be a hex colour such as "#c46b1e"')), '#a0522d'),
      legalNoticesUrl: v.optional(v.nullable(httpUrl), null),
      moderationPolicy: v.optional(text, ''),
      sourceUrl: v.optional(httpUrl, 'https://github.com/sepia-search/sepia'),
      // Serve thumbnails and avatars from the gateway (fetched, checked and cached by it), so that visitors'
      // browsers contact no instance until they follow a result.
      proxyImages: v.optional(v.boolean(), true),
      // Where proxied images are cached; default: an "images" folder next to the database file.
      imageCacheDir: v.optional(v.nullable(v.pipe(text, v.nonEmpty('must not be empty'))), null),
      imageCacheMaxBytes: v.optional(int(1024 * 1024, 1024 ** 4), 512 * 1024 * 1024),
    }),
    {},
  ),
})

type Parsed = v.InferOutput<typeof ConfigSchema>

/** The validated configuration, with every default filled in and paths made absolute. */
export type Config = Readonly<{
  listen: Required<Parsed['listen']>
  database: { path: string }
  instances: Parsed['instances']
  crawl: Parsed['crawl'] & { userAgent: string }
  api: Omit<Parsed['api'], 'rateLimitPerMinute' | 'rateLimitBurst'>
  moderation: Parsed['moderation']
  site: Parsed['site'] & { imageCacheDir: string }
  /** The file the configuration came from, or null when only defaults were used. */
  file: string | null
}>

/** A configuration problem, naming the offending key so an admin can fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Picks the configuration file: --config first, then SEPIA_CONFIG, then ./sepia.config.json. */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { path: string; explicit: boolean } {
  if (flag) return { path: resolve(flag), explicit: true }
  if (env.SEPIA_CONFIG) return { path: resolve(env.SEPIA_CONFIG), explicit: true }
  return { path: resolve(DEFAULT_CONFIG_PATH), explicit: false }
}

/** Reads and validates a configuration file; a missing default file means "all defaults". */
export function loadConfig(path: string, explicit = true): Config {
  let raw: unknown = {}
  let file: string | null = null
  if (existsSync(path)) {
    file = path
    let textContent: string
    try {
      textContent = readFileSync(path, 'utf8')
    } catch (err) {
      throw new ConfigError(`cannot read configuration file ${path}: ${(err as Error).message}`)
    }
    try {
      raw = JSON.parse(textContent)
    } catch (err) {
      throw new ConfigError(`configuration file ${path} is not valid JSON: ${(err as Error).message}`)
    }
  } else if (explicit) {
    throw new ConfigError(`configuration file ${path} does not exist`)
  }
  return parseConfig(raw, file)
}

/** Validates a configuration object (as read from JSON) and fills in defaults. */
export function parseConfig(raw: unknown, file: string | null = null): Config {
  const result = v.safeParse(ConfigSchema, raw)
  if (!result.success) {
    const lines = result.issues.map((issue) => {
      const unknown = isUnknownKey(issue)
      const key = v.getDotPath(issue) ?? '(root)'
      return `  ${key}: ${unknown ? 'unknown key (misspelt, or not a Sepia setting)' : issue.message}`
    })
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n${lines.join('\n')}`)
  }
  const c = result.output
  const base = file ? dirname(file) : process.cwd()
  const databasePath = c.database.path === ':memory:' ? ':memory:' : resolve(base, c.database.path)
  const imageCacheDir = c.site.imageCacheDir
    ? resolve(base, c.site.imageCacheDir)
    : databasePath === ':memory:' ? resolve(base, 'data/images') : join(dirname(databasePath), 'images')
  const userAgent =
    c.crawl.userAgent ??
    `Sepia/${VERSION} (PeerTube search gateway${c.site.url ? `; +${c.site.url}` : ''})`
  return Object.freeze({
    listen: c.listen as Required<Parsed['listen']>,
    database: { path: databasePath },
    instances: c.instances,
    crawl: { ...c.crawl, userAgent },
    api: c.api,
    moderation: c.moderation,
    site: { ...c.site, imageCacheDir },
    file,
  })
}

// strictObject reports an unknown key as a value that was expected to be "never".
function isUnknownKey(issue: v.BaseIssue<unknown>): boolean {
  return issue.kind === 'schema' && issue.expected === 'never'
}
