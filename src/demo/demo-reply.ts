import { DEMO_CADRES, DEMO_LEADER } from './demo-township.js'
import type { DemoOutcome } from './load-demo.js'

/** What a load did, in short phone-width lines: for the chat command and `npm run demo` alike. */
export function describeDemoOutcome(outcome: DemoOutcome): string[] {
  if (outcome.status === 'refused') {
    return [
      `镇里已有 ${outcome.people} 位优抚对象，未载入示范数据：`,
      '示范数据只载入到空的系统，不和真实花名册混在一起。',
    ]
  }
  const switchTo = [
    '页面上方「用户」可切换为：',
    `· ${DEMO_LEADER.id}（${DEMO_LEADER.title}）`,
    ...DEMO_CADRES.map((c) => `· ${c.id}（${c.villages.join('、')}）`),
    '试试：统计、未走访、未发放、对象 张三、',
    '走访 王五 今天 日常 慰问金300元',
  ]
  if (outcome.status === 'already') return ['示范数据已经载入过，没有重复添加。', ...switchTo]
  const w = outcome.written
  return [
    `已载入示范镇（${outcome.year} 年）：`,
    `${w.villages} 个村（社区）、${w.people} 位优抚对象，`,
    `走访 ${w.visits} 次、优待金 ${w.payments} 笔、活动 ${w.activities} 场，`,
    `优待金标准和截止日、${w.users} 个试用账号。`,
    ...switchTo,
  ]
}
