// Worker threads start without the TypeScript loader of a checkout run: register tsx, then run the real worker.
// The executable runs the bundled worker instead (decode-thread.ts, scripts/build.ts).
import { register } from 'tsx/esm/api'

register()
await import('./page-decoder.worker.ts')
