import { ADMIN_ONLY, type Command } from '../bot/command.js'
import { describeDemoOutcome } from '../demo/demo-reply.js'
import { loadDemoTownship, type DemoLoaderDeps } from '../demo/load-demo.js'
import { UserFacingError } from '../errors.js'

export const DEMO_COMMAND = '载入示范数据'

/**
 * 载入示范数据: an admin fills an empty sandbox install with the demo township, so every
 * command in 帮助 can be tried at once (docs/first-minute.md). Refused off the sandbox: the
 * demo's leader and cadres are sandbox users, and a real township's roster is never mixed
 * with invented people.
 */
export function createDemoCommand(services: DemoLoaderDeps['services']): Command {
  return {
    name: DEMO_COMMAND,
    aliases: ['示范数据', '载入演示数据', '演示数据'],
    audience: ADMIN_ONLY,
    summary: '载入一个示范镇，试用各条命令（仅本地试用页）',
    example: DEMO_COMMAND,
    async run({ args, actor, now, message }) {
      if (message.platform !== 'sandbox') {
        throw new UserFacingError(
          '示范数据只能在本地试用页（/sandbox）载入：示范镇的领导和村干部是试用账号。',
        )
      }
      if (args.trim() !== '') {
        throw new UserFacingError(`「${DEMO_COMMAND}」后面不用写别的，直接发「${DEMO_COMMAND}」。`)
      }
      const outcome = await loadDemoTownship({ services, now: () => now }, actor.key)
      return { text: describeDemoOutcome(outcome).join('\n') }
    },
  }
}
