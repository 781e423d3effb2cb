import { mayRun, type Command } from '../bot/command.js'
import { CANCEL_COMMAND } from '../bot/forms.js'

/** What `帮助 <command>` adds for the commands one example does not explain. */
const MORE_HELP: Record<string, readonly string[]> = {
  修改: [
    '可改：金额、日期、场合、对象、物品、备注、需求、跟进、人数，一次改一项：',
    '修改 #128 日期 7月29日',
    '修改 #128 场合 春节',
    '修改 #128 对象 李四（同名请写「对象 #45」）',
    '修改 #128 物品 米2袋 油1桶（没有写「无」）',
    '回复会写明改前 → 改后，统计随之更正。',
  ],
  撤销: [
    '几条一起：撤销 #128 #130，或 撤销 128、130（最多 20 条）',
    '撤销自己刚登记的：撤销上一条（再发一次撤销再前一条）',
    '撤销的记录不再计入统计，原记录保留在审计日志中。',
  ],
}

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
        if (command) {
          const more = MORE_HELP[command.name]
          return {
            text: [
              `「${command.name}」${command.summary}。`,
              `例：${command.example}`,
              ...(more ?? []),
            ].join('\n'),
          }
        }
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
