// What Linux's /proc says about the processes of a test: the children of a process, their titles, and which one
// holds the server side of a TCP connection on loopback (so a test knows which worker answered it).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

/** The pids whose parent is `pid`. */
export function childPids(pid: number): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The fields after the command name, which is in parentheses and may hold spaces: state, then the parent pid.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(entry))
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids.sort((a, b) => a - b)
}

/** The command line of a process as `ps` shows it (a process title replaces it). */
export function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')
}

/** Which of `pids` holds the server's end of the loopback connection from `clientPort` to `serverPort`, if any. */
export function connectionOwner(serverPort: number, clientPort: number, pids: number[]): number | null {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0')
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hex(serverPort)}`) && f[2]?.endsWith(`:${hex(clientPort)}`))
  const inode = line?.[9]
  if (!inode) return null
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return null
}
