import type { Command } from '../bot/command.js'
import type { RoleStore } from '../records/role-store.js'
import { createHelpCommand } from './help.js'
import { createSetRoleCommand } from './roles.js'

export interface CommandDeps {
  roles: RoleStore
}

/** Every command the bot understands, in the order 帮助 lists them. */
export function createCommands(deps: CommandDeps): Command[] {
  const commands: Command[] = []
  commands.push(
    createHelpCommand(() => commands),
    createSetRoleCommand(deps),
  )
  return commands
}
