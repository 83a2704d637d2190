import type { Command } from 'commander'
import { fail, openContext } from './context.ts'
import { handleArg } from './targets.ts'
import { formatTable, when } from './table.ts'
import { allBlocks, block, blockTarget, describeRemoved, moderationLog, unblock, type Block, type ModerationEntry } from '../db/moderation.ts'
import { print } from './output.ts'

/**
 * `sepia accounts block|unblock NAME@HOST` and `sepia channels block|unblock NAME@HOST`: the same verbs as
 * `sepia instances`, one level finer. A block removes the content at once and the crawler never indexes it again.
 */
export function actorCommands(program: Command): void {
  for (const kind of ['account', 'channel'] as const) {
    const group = program
      .command(`${kind}s`)
      .description(`block or unblock one ${kind} (NAME@HOST) without blocking its whole instance`)
    const contents = kind === 'account' ? 'its videos, channels and playlists are' : 'its videos, itself and its playlists are'
    group
      .command('block <handle>')
      .description(`stop indexing the ${kind} NAME@HOST: ${contents} removed at once and never indexed again`)
      .requiredOption('--reason <text>', 'why (recorded in the moderation log)')
      .action((input: string, opts: { reason: string }, cmd: Command) => {
        const { name, host } = handleArg(input, kind)
        const reason = opts.reason.trim()
        if (!reason) fail('--reason must not be empty')
        const { db } = openContext(cmd)
        const r = block(db, kind, host, name, reason)
        db.close()
        if (r.status === 'already') print(`${kind} ${name}@${host} was already blocked since ${when(r.block.createdAt)}: ${r.block.reason}`)
        else print(`blocked ${kind} ${name}@${host}: ${describeRemoved(r.removed)}`)
      })
    group
      .command('unblock <handle>')
      .description(`lift a block on the ${kind} NAME@HOST; its content comes back at the next crawl`)
      .option('--reason <text>', 'why, for the moderation log')
      .action((input: string, opts: { reason?: string }, cmd: Command) => {
        const { name, host } = handleArg(input, kind)
        const { db } = openContext(cmd)
        const r = unblock(db, kind, host, name, opts.reason?.trim() || null)
        db.close()
        if (r.status === 'not-blocked') fail(`${kind} ${name}@${host} is not blocked`)
        print(`unblocked ${kind} ${name}@${host}: its content will be indexed again at the next crawl of ${host}`)
      })
  }
}

/** `sepia moderation log|blocks`: what was decided, when and why. */
export function moderationCommand(program: Command): void {
  const moderation = program.command('moderation').description('what was moderated: the log of every action, and the blocks in force')
  moderation
    .command('log')
    .description('every moderation action (add, remove, block, unblock) with its time, reason and effect, newest first')
    .option('--limit <n>', 'show at most this many actions', (x) => Number(x), 1000)
    .option('--json', 'print JSON')
    .action((opts: { limit: number; json?: boolean }, cmd: Command) => {
      const { db } = openContext(cmd)
      const log = moderationLog(db, Number.isInteger(opts.limit) && opts.limit > 0 ? opts.limit : 1000)
      db.close()
      print(opts.json ? JSON.stringify(log.map(jsonEntry), null, 2) : formatLog(log))
    })
  moderation
    .command('blocks')
    .description('the blocks in force: hosts, accounts and channels, with reasons (instances.blocked is listed by `sepia instances list`)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const { db } = openContext(cmd)
      const blocks = allBlocks(db)
      db.close()
      print(opts.json ? JSON.stringify(blocks.map(jsonBlock), null, 2) : formatBlocks(blocks))
    })
}

const jsonEntry = (e: ModerationEntry) => ({ ...e, at: new Date(e.at).toISOString() })
const jsonBlock = (b: Block) => ({ kind: b.kind, target: blockTarget(b), reason: b.reason, since: new Date(b.createdAt).toISOString() })

/** The moderation log as a table. */
export function formatLog(log: ModerationEntry[]): string {
  if (log.length === 0) return 'no moderation action yet'
  return formatTable(
    ['WHEN', 'ACTION', 'TARGET', 'REASON', 'EFFECT'],
    log.map((e) => [when(e.at), `${e.action} ${e.kind}`, e.target, e.reason ?? '-', e.effect ?? '']),
  )
}

/** The blocks in force as a table. */
export function formatBlocks(blocks: Block[]): string {
  if (blocks.length === 0) return 'nothing is blocked by hand'
  return formatTable(['KIND', 'TARGET', 'SINCE', 'REASON'], blocks.map((b) => [b.kind, blockTarget(b), when(b.createdAt), b.reason]))
}
