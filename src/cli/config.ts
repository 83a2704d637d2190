import type { Command } from 'commander'
import { configFor } from './context.ts'
import { print } from './output.ts'

/** `sepia config`: validates the configuration and prints it with every default filled in. */
export function configCommand(program: Command): void {
  program
    .command('config')
    .description('check the configuration file and print it with all defaults filled in')
    .action((_opts, cmd: Command) => {
      print(JSON.stringify(configFor(cmd), null, 2))
    })
}
