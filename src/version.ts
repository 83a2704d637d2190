import { readFileSync } from 'node:fs'

/** Sepia's version, read once from package.json so the User-Agent and /api/v1/config never disagree with it. */
export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version
