import type { Command } from 'commander'
import { configFor } from './context.ts'

/** `sepia config`: validates the configuration and prints it with every default filled in. */
export function configCommand(program: Command): void {
  program
    .command('config')
    .description('check the configuration file and print it with all defaults filled in')
    .action((_opts, cmd: Command) => {
      console.log(JSON.stringify(configFor(cmd), null, 2))
    })
}
