import { mayRun, type Command } from '../bot/command.js'
import { CANCEL_COMMAND } from '../bot/forms.js'

/**
 * 帮助: one example per command this user may run, short enough for WeCom's 2048-byte passive
 * reply; `帮助 走访` explains one command. Built from the registry so it lists what exists.
 */
export function createHelpCommand(all: () => readonly Command[]): Command {
  return {
    name: '帮助',
    aliases: ['help', '菜单', '?'],
    audience: 'anyone',
    summary: '查看可用命令',
    example: '帮助',
    async run({ actor, args }) {
      if (!actor.role) {
        return {
          text: `您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：${actor.key}`,
        }
      }
      // 取消 is told in every form's first question; listed here it would only cost bytes.
      const usable = all().filter(
        (c) => c.name !== '帮助' && c.name !== CANCEL_COMMAND && mayRun(c, actor.role),
      )
      const wanted = args.trim()
      if (wanted) {
        const command = usable.find((c) => c.name === wanted || c.aliases?.includes(wanted))
        if (command)
          return { text: `「${command.name}」${command.summary}。\n例：${command.example}` }
      }
      const lines = usable.map((c) => `· ${c.example}`)
      return {
        text: [
          '双拥助手可用命令（回复「帮助 走访」等查看说明）：',
          ...lines,
          '繁体、全角标点均可。',
        ].join('\n'),
      }
    },
  }
}
