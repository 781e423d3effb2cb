import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APOLOGY } from '../../src/bot/dispatch.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'
import { AT, FUZZ_TIMEOUT_MS, expectHealthy, fuzzParams, hostileText } from './fuzz-support.js'

// Issue 10, part 8, past the door: registered users (admin, leader, cadre) send fuzzed command
// lines and multi-turn conversations through the sandbox route. Whatever they type, the answer
// is a 200 with a reply of ours, never a 5xx and never the apology that means a bug was caught.

const COMMAND_WORDS = [
  '帮助',
  '帮助 走访',
  '添加对象',
  '对象',
  '走访',
  '慰问',
  '登记走访',
  '发放优待金',
  '优待金标准',
  '优待金截止',
  '活动',
  '统计',
  '未走访',
  '未发放',
  '年报',
  '导出',
  '提醒',
  '我的提醒',
  '取消提醒',
  '提醒计划',
  '撤销',
  '撤销上一条',
  '修改',
  '设置角色',
  '绑定群',
  '待办',
  '办结',
  '确认',
  '取消',
  '无',
  '帮扶',
  'help',
]

const WORDS = fc.constantFrom(
  '张三',
  '李一',
  '王二',
  '孙四',
  '铁炉嘴村',
  '铁炉嘴',
  '童家坝村',
  '新街社区',
  '不存在村',
  '八一',
  '春节',
  '元旦',
  '日常',
  '困难帮扶',
  '优待金',
  '台账',
  '花名册',
  '2026',
  '2027',
  '1900',
  '99999',
  '7月28日',
  '2月30日',
  '11月31日',
  '昨天',
  '明天',
  '上周五',
  '腊月二十八',
  '除夕',
  '八一前一周',
  '春节前三天',
  '明天上午9点',
  '5分钟后',
  '每周一 9点',
  '每天 8点',
  '慰问金500元',
  '五百元',
  '1.5万',
  '-3元',
  '0元',
  '8600元',
  '米一袋',
  '油一桶',
  '备注',
  '需求',
  '电话13800000000',
  '身份证320102199001011000',
  '残疾军人',
  '二等乙级',
  '义务兵家庭',
  '烈士遗属',
  '农村5800',
  '城镇8600',
  '统一8600',
  '村干部',
  '领导',
  '管理员',
  'sandbox:li',
  'wecom:x',
  '#1',
  '#2',
  '#999999999999',
  '＃3',
  '人数40',
  '人数-1',
  '座谈会',
  '确认',
  '1',
  '2',
  '　',
)

const line = fc
  .tuple(
    fc.constantFrom(...COMMAND_WORDS),
    fc.array(fc.oneof({ weight: 4, arbitrary: WORDS }, hostileText), { maxLength: 6 }),
    fc.constantFrom(' ', '', '　', '，'),
  )
  .map(([command, args, separator]) => [command, ...args].join(separator))

const conversation = fc.array(fc.oneof({ weight: 5, arbitrary: line }, hostileText), {
  minLength: 1,
  maxLength: 4,
})

describe('fuzzing the commands as registered users', () => {
  let t: TestBot
  beforeAll(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => AT })
    await seedTown(t)
  })
  afterAll(async () => {
    await t.bot.settle()
    await t.cleanup()
  })

  it(
    'when an admin, a leader or a cadre types fuzzed commands, each is answered without a crash',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('admin', 'boss', 'li'),
          fc.constantFrom(undefined, 'group-1'),
          conversation,
          async (user, chat, texts) => {
            for (const text of texts) {
              const res = await t.http
                .post('/sandbox/messages')
                .send({ user, text, ...(chat && { chat }) })
              const replies = ((res.body as { replies?: { text: string }[] }).replies ?? []).map(
                (r) => r.text,
              )
              const context = `${user}: ${JSON.stringify(text)} → ${res.status} ${res.text.slice(0, 300)}`
              expect(res.status, context).toBe(200)
              expect(replies, context).not.toContain(APOLOGY)
            }
          },
        ),
        fuzzParams(80),
      )

      await expectHealthy(t)
    },
    FUZZ_TIMEOUT_MS,
  )
})
