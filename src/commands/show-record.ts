import { CADRE_AND_UP, mayTouch, type Actor, type Command } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import type { AnyRecord, Person } from '../records/schemas.js'
import { describeActivity } from './activity.js'
import { personCard } from './person-card.js'
import {
  paymentHeadline,
  paymentWord,
  villageOfRecord,
  visitDetails,
  visitHeadline,
  withdrawnMark,
} from './record-lines.js'
import type { CommandServices } from './services.js'
import { visitorsOf } from '../user-names.js'

const USAGE = '请写记录编号，如「查看 #191」。'
const RECORD_NUMBER = /^(?:#\s*|第\s*)?(\d{1,9})\s*(?:号记录|号|条记录|条|记录)?$/

/** Whether `actor` may read `record`: its village by the scope policy; the township's own, if theirs. */
export function mayRead(actor: Actor, record: AnyRecord): boolean {
  const village = villageOfRecord(record)
  if (village === undefined) return actor.role !== 'cadre' || record.createdBy === actor.key
  return mayTouch(actor, village)
}

/** 查看 #N: any record by its number, within the asker's villages, as its kind reads. */
export function createShowRecordCommand(services: CommandServices): Command {
  return {
    name: '查看',
    aliases: ['查看记录'],
    audience: CADRE_AND_UP,
    summary: '按编号查看一条记录',
    example: '查看 #1',
    async run({ args, actor, message, now }) {
      // `#13`, `13`, and as 撤销 and 修改 read one: `13号`, `第13条`, `13号记录`.
      const number = RECORD_NUMBER.exec(args.replace(/＃/g, '#').trim())
      if (!number) {
        // A name (`查看 张三`) is the 对象 card's: said so, with the name written.
        const name = /^\p{Script=Han}{2,6}$/u.test(args.trim()) ? args.trim() : undefined
        throw new UserFacingError(name ? `${USAGE}\n查对象请发「对象 ${name}」。` : USAGE)
      }
      const id = Number(number[1])
      const record = await services.records.getRecord(id)
      // Out of scope reads as absent: a cadre learns nothing of other villages' numbers.
      if (!record || !mayRead(actor, record)) {
        return { text: `没有找到您能查看的记录 #${id}。回复「我的记录」看您登记的。` }
      }
      if (record.kind === 'person') {
        const reveal = actor.role === 'admin' && !message.chat.isGroup
        return {
          text: await personCard(services, record, { reveal, now, inGroup: message.chat.isGroup }),
        }
      }
      return { text: await describe(services, record, message.chat.isGroup) }
    },
  }
}

async function describe(
  services: CommandServices,
  record: Exclude<AnyRecord, Person>,
  inGroup: boolean,
): Promise<string> {
  const head = `#${record.id}${withdrawnMark(record)}`
  switch (record.kind) {
    case 'visit': {
      const [person, visitors] = await Promise.all([
        record.personId === undefined ? undefined : services.people.getPerson(record.personId),
        visitorsOf(services.roles, record),
      ])
      // 走访人 by name, also on a visit stored with its author's account id (user-names.ts).
      const shown = Object.assign({}, record, { visitors })
      return [`${head} 走访`, visitHeadline(record, person), ...visitDetails(shown, inGroup)].join(
        '\n',
      )
    }
    case 'payment': {
      const person = await services.people.getPerson(record.personId)
      // A payment's 备注 reads as a visit's does (visitDetails): in a group only that there is one.
      const notes = record.notes ? [inGroup ? '有备注（私聊查看）' : `备注：${record.notes}`] : []
      return [
        `${head} 优待金${paymentWord(record)}`,
        `${paymentHeadline(record, person)}（${record.householdType}）`,
        ...notes,
      ].join('\n')
    }
    case 'activity':
      return [`${head} 活动`, describeActivity(record)].join('\n')
  }
}
