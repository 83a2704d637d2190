import type { Command } from 'commander'
import { openContext, fail } from './context.ts'
import { formatTable } from './table.ts'
import { parseChannelsParams, parsePlaylistsParams, parseVideosParams, type InvalidParam } from '../search/params.ts'
import { searchVideos } from '../search/videos.ts'
import { searchChannels } from '../search/channels.ts'
import { searchPlaylists } from '../search/playlists.ts'
import type { ResultList } from '../search/types.ts'
import { print } from './output.ts'

type SearchOptions = { type: string; count?: string; start?: string; sort?: string; nsfw?: string; host?: string; param: string[]; json?: boolean }

/**
 * `sepia search "query"`: the results the API gives for the same parameters, in the same order, through the same
 * validation and search functions, for an admin checking what visitors see (after a block, say).
 */
export function searchCommand(program: Command): void {
  program
    .command('search [query]')
    .description('search the index as the API does and print the results in its order (no query: list by the sort)')
    .option('--type <type>', 'videos, channels or playlists', 'videos')
    .option('--count <n>', 'results per page (the API default is 20, at most 100)')
    .option('--start <n>', 'offset of the first result')
    .option('--sort <sort>', 'an API sort, e.g. -match, -publishedAt, -views')
    .option('--nsfw <value>', 'videos: true, false or both (the API default is false)')
    .option('--host <host>', 'only results from this instance')
    .option('--param <key=value>', 'any other API parameter (repeatable, e.g. --param languageOneOf=fr)', (v: string, prev: string[]) => [...prev, v], [])
    .option('--json', 'print the API JSON')
    .action((query: string | undefined, opts: SearchOptions, cmd: Command) => {
      const input: Record<string, unknown> = {}
      for (const p of opts.param) {
        const eq = p.indexOf('=')
        if (eq <= 0) fail(`--param ${p}: expected key=value`)
        const key = p.slice(0, eq)
        const prev = input[key]
        const value = p.slice(eq + 1)
        input[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value]
      }
      const named: [string, string | undefined][] = [['search', query], ['count', opts.count], ['start', opts.start], ['sort', opts.sort], ['nsfw', opts.nsfw], ['host', opts.host]]
      for (const [key, value] of named) if (value !== undefined) input[key] = value

      const { db } = openContext(cmd)
      let result: ResultList<Row>
      let rows: (r: Row, rank: number) => string[]
      let header: string[]
      if (opts.type === 'videos') {
        const q = parseVideosParams(input)
        if (!q.ok) invalid(q.invalidParams)
        result = searchVideos(db, q.query)
        header = ['#', 'SCORE', 'TITLE', 'CHANNEL', 'PUBLISHED', 'URL']
        rows = (r, i) => {
          const v = r as ReturnType<typeof searchVideos>['data'][number]
          return [String(i), v.score.toFixed(3), v.name, `${v.channel.name}@${v.channel.host}`, v.publishedAt.slice(0, 10), v.url]
        }
      } else if (opts.type === 'channels') {
        const q = parseChannelsParams(input)
        if (!q.ok) invalid(q.invalidParams)
        result = searchChannels(db, q.query)
        header = ['#', 'SCORE', 'CHANNEL', 'HANDLE', 'VIDEOS', 'URL']
        rows = (r, i) => {
          const c = r as ReturnType<typeof searchChannels>['data'][number]
          return [String(i), c.score.toFixed(3), c.displayName, `${c.name}@${c.host}`, String(c.videosCount), c.url]
        }
      } else if (opts.type === 'playlists') {
        const q = parsePlaylistsParams(input)
        if (!q.ok) invalid(q.invalidParams)
        result = searchPlaylists(db, q.query)
        header = ['#', 'SCORE', 'PLAYLIST', 'OWNER', 'VIDEOS', 'URL']
        rows = (r, i) => {
          const p = r as ReturnType<typeof searchPlaylists>['data'][number]
          return [String(i), p.score.toFixed(3), p.displayName, `${p.ownerAccount.name}@${p.ownerAccount.host}`, String(p.videosLength), p.url]
        }
      } else {
        db.close()
        fail(`--type must be videos, channels or playlists, not "${opts.type}"`)
      }
      db.close()
      if (opts.json) return print(JSON.stringify(result, null, 2))
      const first = Number(input.start ?? 0)
      const lines = [`${result.total} result${result.total === 1 ? '' : 's'}`]
      if (result.data.length) lines.push('', formatTable(header, result.data.map((r, i) => rows(r, first + i + 1))))
      print(lines.join('\n'))
    })
}

type Row = { score: number }

function invalid(params: Record<string, InvalidParam>): never {
  fail(`invalid search: ${Object.values(params).map((p) => `${p.path}: ${p.msg}`).join('; ')}`)
}
