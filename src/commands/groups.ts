import { ADMIN_ONLY, type Command } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { matchVillage } from '../parse/village.js'
import type { ChatRef } from '../platforms/types.js'
import type { GroupStore, GroupTarget } from '../records/group-store.js'
import type { VillageStore } from '../records/village-store.js'

const USAGE = [
  '格式：在村里的群里发「绑定群 铁炉嘴村」（钉钉群、试用群），',
  '或用群机器人：「绑定群 铁炉嘴村 企业微信群机器人地址」「绑定群 铁炉嘴村 钉钉机器人地址 SEC加签密钥」。',
  '解除：「绑定群 铁炉嘴村 解除」。',
].join('')

// WeCom 消息推送 URLs carry `key=`; DingTalk custom robots `access_token=` (platforms.md §2.5, §5.1).
const WECOM_ROBOT =
  /(?:webhook\/send\?key=)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i
const DINGTALK_ROBOT = /robot\/send\?access_token=([0-9a-zA-Z]+)/

/** 绑定群: an admin binds villages to a group, where those villages' campaign pushes go. */
export function createBindGroupCommand(deps: {
  groups: GroupStore
  villages: VillageStore
}): Command {
  return {
    name: '绑定群',
    audience: ADMIN_ONLY,
    summary: '把村的活动提醒推送到一个群',
    example: '绑定群 铁炉嘴村',
    async run({ args, actor, now, message }) {
      const known = await deps.villages.listVillages()
      const villages: string[] = []
      const rest: string[] = []
      for (const word of args.split(/[\s,、]+/).filter(Boolean)) {
        const village = matchVillage(word, known)
        if (village) villages.push(village)
        else rest.push(word)
      }
      if (villages.length === 0) throw new UserFacingError(`请写上已登记的村名。${USAGE}`)
      if (rest.length === 1 && /^(解除|取消|解绑)$/.test(rest[0]!)) {
        const removed = await deps.groups.unbind(villages)
        return {
          text:
            removed > 0
              ? `已解除 ${villages.join('、')} 的群绑定。`
              : `${villages.join('、')} 本来没有绑定群。`,
        }
      }
      const target = targetOf(rest, message.chat)
      await deps.groups.bind(villages, { target, boundBy: actor.key, boundAt: now.toISOString() })
      const where =
        target.kind === 'chat'
          ? '本群'
          : target.robot.platform === 'wecom'
            ? '该企业微信群机器人'
            : '该钉钉群机器人'
      return {
        text: `已绑定：${villages.join('、')} 的八一、春节、元旦、优待金提醒将推送到${where}。`,
      }
    },
  }
}

function targetOf(words: string[], chat: ChatRef): GroupTarget {
  const text = words.join(' ')
  const dingtalk = DINGTALK_ROBOT.exec(text)
  if (dingtalk) {
    const secret = words.find((w) => /^SEC[0-9a-f]+$/i.test(w))
    return {
      kind: 'robot',
      robot: { platform: 'dingtalk', accessToken: dingtalk[1]!, ...(secret && { secret }) },
    }
  }
  const wecom = WECOM_ROBOT.exec(text)
  if (wecom) return { kind: 'robot', robot: { platform: 'wecom', webhookKey: wecom[1]! } }
  if (words.length > 0) throw new UserFacingError(`没看懂「${text}」。${USAGE}`)
  if (!chat.isGroup) {
    const hint =
      chat.platform === 'wecom'
        ? '企业微信应用不能向普通群发消息，请在群里添加「消息推送」机器人，把它的地址发给我。'
        : '请在要绑定的群里发这条命令。'
    throw new UserFacingError(`${hint}${USAGE}`)
  }
  return { kind: 'chat', chat: { platform: chat.platform, chatId: chat.chatId, isGroup: true } }
}
