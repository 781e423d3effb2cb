import type { Command } from '../bot/command.js'
import { createExportCommand, createRosterCheckCommand, type ExportCommandDeps } from './export.js'
import { createUnpaidCommand, createUnvisitedCommand } from './outstanding.js'
import { createYearReportCommand } from './report.js'
import type { RecordServices } from './services.js'
import { createTallyCommand } from './tally.js'

/**
 * The reading commands of issue 4, in the order 帮助 lists them: 统计, 未走访, 未发放, 年报 and,
 * when download links can be signed (`exports`), 导出.
 */
export function createTallyCommands(
  services: RecordServices,
  exports?: ExportCommandDeps,
): Command[] {
  return [
    createTallyCommand(services),
    createUnvisitedCommand(services),
    createUnpaidCommand(services),
    createYearReportCommand(services, exports?.townshipName),
    ...(exports ? [createExportCommand(services, exports)] : []),
    ...(exports?.checks ? [createRosterCheckCommand(exports.checks, services.timezone)] : []),
  ]
}
