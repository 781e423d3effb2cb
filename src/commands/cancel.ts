import { CADRE_AND_UP, type Command } from '../bot/command.js'
import { CANCEL_COMMAND } from '../bot/forms.js'

/**
 * 取消 (退出, 算了) with no form open: the form engine answers it whenever one is open, so
 * reaching this command means there is nothing to stop. Words after it are most likely a
 * record or a reminder the user meant to withdraw, hence the two pointers.
 */
export function createCancelCommand(): Command {
  return {
    name: CANCEL_COMMAND,
    aliases: ['退出', '算了', 'cancel'],
    audience: CADRE_AND_UP,
    summary: '放弃正在进行的登记',
    example: '取消',
    async run({ args }) {
      const nothing = '没有正在进行的登记，无需取消。'
      if (!args) return { text: nothing }
      return {
        text: `${nothing}\n撤销已登记的记录请回复「撤销 #编号」；取消提醒请回复「取消提醒 编号」。`,
      }
    },
  }
}
