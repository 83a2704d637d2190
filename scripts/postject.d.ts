// postject ships no typings; this is the one function the build uses (see its README).
declare module 'postject' {
  /** Injects `data` as the resource `name` into the executable `file`, flipping the given sentinel fuse. */
  export function inject(file: string, name: string, data: Buffer, options: { sentinelFuse: string; overwrite?: boolean }): Promise<void>
}
