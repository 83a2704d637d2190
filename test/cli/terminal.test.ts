// Terminal escape sequences from outside never reach the admin's terminal (issue 9, item 4): an instance's name,
// version and video titles carry sequences that would clear the screen, set the window title or reverse the text;
// every command that prints them shows them escaped instead, in text and in JSON.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { terminalSafe } from '../../src/terminal.ts'
import { startFakeFederation, fakeVideo, fakeChannel } from '../fake/federation.ts'
import { runCli, type CliResult } from '../helpers/cli.ts'

// ESC and BEL (C0), CSI as a single C1 character, DEL, and a right-to-left override.
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u007f\u202eevil'
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

test('terminalSafe shows control characters as \\u escapes, keeping newlines only when asked, and JSON stays JSON', () => {
  assert.equal(terminalSafe('a\u001b[2Jb'), 'a\\u001b[2Jb')
  assert.equal(terminalSafe('line\nnext\tcell'), 'line\\u000anext\tcell')
  assert.equal(terminalSafe('line\nnext', { newlines: true }), 'line\nnext')
  assert.equal(terminalSafe('\u009b\u202e\u2066'), '\\u009b\\u202e\\u2066')
  assert.equal(terminalSafe('Été 😀 ünïcödé'), 'Été 😀 ünïcödé', 'ordinary text untouched')
  const json = JSON.stringify({ name: HOSTILE }, null, 2)
  assert.deepEqual(JSON.parse(terminalSafe(json, { newlines: true })), { name: HOSTILE }, 'the same value, escaped')
})

test('crawl, stats, instances list and check, search and moderation print what instances sent without obeying it', async () => {
  const fed = await startFakeFederation([
    {
      name: `Evil tube ${HOSTILE}`,
      version: `7.1.0 ${HOSTILE}`,
      videos: [fakeVideo({ name: `Wobbly title ${HOSTILE}`, account: { name: 'mallory', displayName: `Mallory ${HOSTILE}` }, channel: { name: 'mallory_channel', displayName: `Channel ${HOSTILE}` } })],
      channels: [fakeChannel({ name: 'mallory_channel', displayName: `Channel ${HOSTILE}` })],
    },
  ])
  try {
    const file = fed.configFile()
    const host = fed.instances[0]!.host
    const runs: [string, CliResult][] = []
    const run = async (...args: string[]) => {
      const r = await runCli([...args, '--config', file])
      runs.push([args.join(' '), r])
      return r
    }
    assert.equal((await run('crawl')).code, 0)
    await run('stats')
    await run('stats', '--json')
    await run('instances', 'list')
    await run('instances', 'list', '--json')
    await run('instances', 'check', host)
    await run('search', 'wobbly')
    await run('search', 'wobbly', '--json')
    await run('accounts', 'block', `mallory@${host}`, '--reason', `pasted ${HOSTILE}`)
    await run('moderation', 'log')
    await run('moderation', 'blocks', '--json')
    for (const [command, r] of runs) {
      assert.doesNotMatch(r.stdout, RAW, `sepia ${command} printed a raw control character`)
      assert.doesNotMatch(r.stderr, RAW, `sepia ${command} printed a raw control character on stderr`)
    }
    const out = (command: string) => runs.find(([c]) => c === command)![1].stdout
    // Shown, escaped, where the text was.
    assert.match(out('crawl'), /v7\.1\.0 \\u001b\]0;pwned\\u0007\\u001b\[2J\\u009b31m\\u007f\\u202eevil/)
    assert.match(out('stats'), /\\u001b\[2J/)
    assert.match(out('instances check ' + host), /Evil tube \\u001b\]0;pwned/)
    assert.match(out('search wobbly'), /Wobbly title \\u001b/)
    assert.match(out('moderation log'), /pasted \\u001b/)
    // JSON output is still JSON, with the same values.
    const stats = JSON.parse(out('stats --json'))
    assert.equal(stats.instances[0].softwareVersion, `7.1.0 ${HOSTILE}`.slice(0, 40))
    const found = JSON.parse(out('search wobbly --json'))
    assert.equal(found.data[0].name, `Wobbly title ${HOSTILE}`)
  } finally {
    await fed.close()
  }
})
