import { mayRun, type Command } from '../bot/command.js'

/**
 * 帮助: the commands this user may run, one example each. Built from the registry so it
 * lists exactly what exists.
 */
export function createHelpCommand(all: () => readonly Command[]): Command {
  return {
    name: '帮助',
    aliases: ['help', '菜单', '?'],
    audience: 'anyone',
    summary: '查看可用命令',
    example: '帮助',
    async run({ actor }) {
      const usable = all().filter((c) => c.name !== '帮助' && mayRun(c, actor.role))
      if (!actor.role) {
        return {
          text: `您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：${actor.key}`,
        }
      }
      const lines = usable.map((c) => `· ${c.name}：${c.summary}\n  例：${c.example}`)
      return { text: ['双拥助手可用命令：', ...lines, '繁体、全角标点均可。'].join('\n') }
    },
  }
}
