import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CADRES, DEMO_LEADER } from '../../src/demo/demo-township.js'
import { isRowsBlock } from '../../src/replies/layout.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { widthProblems, type SandboxReply } from '../support/reply-width.js'

// During the 八一 campaign, so 统计 and 未走访 have a running campaign with rows to show.
const NOW = new Date('2026-07-28T02:00:00Z')

// 帮助 shows one example per command; 统计's usage line names these too, each with rows.
const TALLY_VARIANTS = [
  '统计',
  '统计 优待金',
  '统计 活动',
  '统计 春节 2026',
  '统计 铁炉嘴村',
  '年报',
]

async function ask(t: TestBot, user: string, text: string): Promise<SandboxReply[]> {
  const res = await t.http.post('/sandbox/messages').send({ user, text }).expect(200)
  return (res.body as { replies: SandboxReply[] }).replies
}

/** The examples `帮助` shows `user`: the `· 统计 八一` lines, up to a `，` note. */
async function examplesFor(t: TestBot, user: string): Promise<string[]> {
  const [help] = await say(t, user, '帮助')
  return help!
    .split('\n')
    .filter((l) => l.startsWith('· '))
    .map((l) => l.slice(2).split('，')[0]!)
}

describe('every help example read at 20 Chinese characters of width (issue 12, part 5)', () => {
  let t: TestBot
  const answers: { user: string; example: string; replies: SandboxReply[] }[] = []

  beforeAll(async () => {
    t = await createTestBot({}, { now: () => NOW })
    await say(t, 'admin', '帮助')
    await say(t, 'admin', '载入示范数据')
    for (const user of ['admin', DEMO_LEADER.id, DEMO_CADRES[0]!.id]) {
      const examples = await examplesFor(t, user)
      for (const example of [...examples, ...(user === 'admin' ? [] : TALLY_VARIANTS)]) {
        answers.push({ user, example, replies: await ask(t, user, example) })
        await say(t, user, '取消')
      }
    }
    // HELP_WIDTH_DUMP=path writes every answer out, to read them at phone width by eye.
    const dump = process.env.HELP_WIDTH_DUMP
    if (dump) {
      const text = answers
        .map((a) => `## ${a.user}: ${a.example}\n${a.replies.map((r) => r.text).join('\n--\n')}`)
        .join('\n\n')
      writeFileSync(dump, text)
    }
  }, 120_000)
  afterAll(async () => {
    await t.cleanup()
  })

  it('walks the examples of an admin, a leader and a cadre, each answered', () => {
    expect(answers.filter((a) => a.user === 'admin').length).toBeGreaterThan(15)
    expect(answers.filter((a) => a.user === DEMO_CADRES[0]!.id).length).toBeGreaterThan(5)
    for (const a of answers) expect(a.replies.length, a.example).toBeGreaterThan(0)
  })

  it('sends no table and no aligned row wider than a phone', () => {
    const problems = answers.flatMap((a) =>
      a.replies.flatMap(widthProblems).map((p) => `${a.user}「${a.example}」 ${p}`),
    )

    expect(problems).toEqual([])
  })

  it('gives the leader’s tallies rows, one village a line, in the township’s order', () => {
    const tally = answers.find((a) => a.user === DEMO_LEADER.id && a.example.startsWith('统计'))
    const rows = tally?.replies[0]?.layout?.blocks.find(isRowsBlock)?.rows

    expect(rows?.map((r) => r.name).slice(0, 3)).toEqual(['铁炉嘴村', '童家坝村', '石门村'])
  })
})
