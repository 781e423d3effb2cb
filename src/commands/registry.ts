import type { Command } from '../bot/command.js'
import type { FormSpec } from '../bot/forms.js'
import { createActivityCommand, createActivityForm } from './activity.js'
import {
  createDeadlineCommand,
  createPaymentCommand,
  createPaymentForm,
  createStandardCommand,
  createStandardForm,
} from './allowance.js'
import { createCancelCommand } from './cancel.js'
import { createCorrectCommand, createWithdrawCommand } from './corrections.js'
import { createDemoCommand } from './demo.js'
import { createBindGroupCommand } from './groups.js'
import { createGreetingCommand, createHelpCommand } from './help.js'
import { createOpenHelpCasesCommand, createResolveHelpCaseCommand } from './help-cases.js'
import { createMyRecordsCommand } from './my-records.js'
import { createAddPersonCommand, createFindPersonCommand, createRosterCommand } from './people.js'
import { createPersonForm } from './person-form.js'
import { createQuestionCommand } from './questions.js'
import { createRemovalForm } from './removal-form.js'
import { createRemindCommands, type RemindCommandDeps } from './remind.js'
import { createReminderPlanCommand, type ReminderPlanCommandDeps } from './reminder-plan.js'
import { createSetRoleCommand } from './roles.js'
import { createShowRecordCommand } from './show-record.js'
import type { ExportCommandDeps } from './export.js'
import { createTallyCommands } from './tally-commands.js'
import type { CommandServices, RecordServices } from './services.js'
import { createVisitCommand, createVisitForm } from './visit.js'

/**
 * Every command the bot understands, in the order 帮助 lists them: daily work first.
 * `reminders` is absent when there is no queue to schedule on (the reminder commands are off).
 * `exports` is absent when download links cannot be signed (导出 is off).
 */
export function createCommands(
  services: CommandServices,
  reminders?: RemindCommandDeps & ReminderPlanCommandDeps,
  exports?: ExportCommandDeps,
): Command[] {
  const commands: Command[] = []
  const help = { all: () => commands, timezone: services.timezone }
  commands.push(
    createHelpCommand(help),
    createGreetingCommand(help),
    // Not a word anyone types: the parser hands it questions in the asker's words (intents.ts).
    createQuestionCommand(services, () => commands),
    createVisitCommand(services),
    createPaymentCommand(services),
    createActivityCommand(services),
    createFindPersonCommand(services),
    createRosterCommand(services),
    createShowRecordCommand(services),
    createMyRecordsCommand(services),
    createWithdrawCommand(services),
    createCorrectCommand(services),
    createOpenHelpCasesCommand(services),
    createResolveHelpCaseCommand(services),
    ...createTallyCommands(services, exports),
    ...(reminders
      ? [...createRemindCommands(reminders), createReminderPlanCommand(reminders)]
      : []),
    createAddPersonCommand(services),
    createStandardCommand(services),
    createDeadlineCommand(services),
    createSetRoleCommand(services),
    createBindGroupCommand(services),
    createDemoCommand(services),
    createCancelCommand(),
  )
  for (const command of commands) {
    const more = VARIANT_ALIASES[command.name]
    if (more) command.aliases = [...(command.aliases ?? []), ...more]
  }
  return commands
}

/**
 * Variant spellings of command words that people type and that are not typos, so they are
 * taken as the word itself: 撤消 (a standard variant of 撤销), and 纪录 where 记录 is meant,
 * which is what a traditional 紀錄 becomes (紀 is 纪 in simplified; 記錄 becomes 记录).
 */
const VARIANT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  撤销: ['撤消'],
  我的记录: ['我的纪录'],
  查看: ['查看纪录'],
}

/** The multi-turn forms the record commands start. */
export function createForms(services: RecordServices): FormSpec[] {
  return [
    createVisitForm(services),
    createPaymentForm(services),
    createStandardForm(services),
    createActivityForm(services),
    createPersonForm(services),
    createRemovalForm(services),
  ]
}
