import { readAsset } from './assets.ts'

/** Sepia's version, read once from package.json so the User-Agent and /api/v1/config never disagree with it. */
export const VERSION: string = JSON.parse(readAsset('package.json').toString('utf8')).version
