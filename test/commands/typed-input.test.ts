import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-28 10:00 in Shanghai: in the 八一 campaign.
const NOW = new Date('2026-07-28T02:00:00Z')

/** The record numbers a reply names (已登记 #N), in order. */
const idsOf = (reply: string | undefined) =>
  [...(reply ?? '').matchAll(/#(\d+)：/g)].map((m) => Number(m[1]))

let t: TestBot

const record = (id: number) => t.bot.services.records.getRecord(id)
const bayi = async () =>
  (await t.bot.services.tallies.readCampaignTally(2026, '八一', undefined)).total

beforeEach(async () => {
  t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
  await seedTown(t)
})
afterEach(async () => {
  await t.cleanup()
})

// A 备注 runs to the end of its record, and a record over several lines used to be decided by
// reading the lines joined: the first line's 备注 swallowed the next record (tester, 2026-07).
describe('a message of several record lines, the first ending in a 备注', () => {
  it('stores each line as its own visit, the 备注 only the first’s', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 八一 备注 一切安好\n走访 李一 今天 八一')

    expect(reply).toMatch(
      /^已登记 2 条走访：\n#\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n未记慰问金和物品；备注：一切安好\n#\d+：2026-07-28 八一走访 铁炉嘴村 李一（义务兵家庭）\n未记慰问金和物品\n撤销某条请回复「撤销 #编号」。$/,
    )
    const [zhang, li] = idsOf(reply)
    expect(await record(zhang!)).toMatchObject({ notes: '一切安好', needs: undefined })
    expect(await record(li!)).toMatchObject({ notes: undefined, needs: undefined })
    expect(await bayi()).toMatchObject({ visits: 2 })
    const [mine] = await say(t, 'li', '我的记录')
    expect(mine).toContain('张三')
    expect(mine).toContain('李一')
  })

  it('also when the next line leaves out the command word, or the 备注 is a need', async () => {
    const [reply] = await say(
      t,
      'li',
      '走访 张三 今天 八一 需求 房屋漏雨需修缮\n李一 今天 八一 慰问金300元\n慰问 李二 今天 八一',
    )

    expect(reply).toMatch(/^已登记 3 条走访：/)
    const [zhang, li, er] = idsOf(reply)
    expect(await record(zhang!)).toMatchObject({ needs: '房屋漏雨需修缮', notes: undefined })
    expect(await record(li!)).toMatchObject({ cashFen: 30_000, needs: undefined })
    expect(await record(er!)).toMatchObject({ needs: undefined, notes: undefined })
    const [shown] = await say(t, 'li', `查看 #${li}`)
    expect(shown).toContain('李一')
    expect(shown).not.toContain('房屋漏雨')
  })

  it('names a line after a 备注 that begins with another command, never swallows it', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 八一 备注 一切安好\n发放优待金 李一 今天')

    expect(reply).toMatch(
      /^已登记 1 条走访：\n#\d+：.* 张三（残疾军人）\n未记慰问金和物品；备注：一切安好\n/,
    )
    expect(reply).toContain('\n未登记 1 条：\n李一：「发放优待金」请另发一条消息\n')
  })

  it('stores each payment of its own line, a 备注 on the first', async () => {
    const [reply] = await say(t, 'li', '发放优待金 李一 今天 备注 第一批\n发放优待金 李二 今天')

    expect(reply).toMatch(
      /^已登记 2 条优待金发放：\n#\d+：.* 李一（农村）.*\n#\d+：.* 李二（农村）/,
    )
    const [li, er] = idsOf(reply)
    expect(await record(li!)).toMatchObject({ kind: 'payment', notes: '第一批' })
    expect(await record(er!)).toMatchObject({ kind: 'payment', notes: undefined })
  })
})

describe('one record typed over several lines (unchanged)', () => {
  it('is one visit when the lines after the name add its date, occasion and cash', async () => {
    const [reply] = await say(t, 'li', '走访 张三\n今天 八一\n慰问金500元')

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n慰问金 500 元\n铁炉嘴村八一走访进度 1\/4 户。/,
    )
    expect(await bayi()).toMatchObject({ visits: 1, cashFen: 50_000 })
  })

  it('keeps a 备注 continued on the next line as one note, as typed', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 八一\n備註：房屋漏雨，\n需要修繕')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n/)
    expect(reply).toContain('需求：房屋漏雨， 需要修繕（已记为待办）')
    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ needs: '房屋漏雨， 需要修繕' })
    expect(await bayi()).toMatchObject({ visits: 1 })
  })

  it('keeps a 备注 line followed by more of it after the first line’s fields', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 八一 备注 老人腿脚不便\n需要一副拐杖')

    expect(reply).toMatch(/^已登记 #\d+：/)
    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ needs: '老人腿脚不便 需要一副拐杖' })
  })
})

// Commands read folded text (full-width → half-width, traditional → simplified); the free text a
// visit or a person keeps is the family's own words, stored as the cadre typed them.
describe('a 备注 is stored as typed', () => {
  it('keeps full-width punctuation and traditional characters, reading the rest folded', async () => {
    const [reply] = await say(
      t,
      'li',
      '走訪 張三 今天 八一 慰問金５００元 備註：家中老人身體尚好，需要輪椅。',
    )

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n慰问金 500 元；/,
    )
    expect(reply).toContain('需求：家中老人身體尚好，需要輪椅。（已记为待办）')
    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({
      needs: '家中老人身體尚好，需要輪椅。',
      cashFen: 50_000,
    })
    expect((await say(t, 'li', `查看 #${id}`))[0]).toContain('家中老人身體尚好，需要輪椅。')
    expect((await say(t, 'li', '待办'))[0]).toContain('家中老人身體尚好，需要輪椅。')
  })

  it('keeps the notes that are no need as typed, simplified text as it was', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 八一 备注：身体健康，一切安好！')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ notes: '身体健康，一切安好！', needs: undefined })
    expect(reply).toContain('；备注：身体健康，一切安好！\n')
  })

  it('drops only what nothing could show: zero-width characters, spaces at the ends', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 八一 备注：　一切\u200b安好，（老伴在家）　')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ notes: '一切安好，（老伴在家）' })
  })

  it('keeps each line’s 备注 as typed when a message carries several visits', async () => {
    const [reply] = await say(
      t,
      'li',
      '走访 张三 今天 八一 備註：身體健康；\n走訪 李一 今天 八一 备注：房屋漏雨，需修繕！',
    )

    expect(reply).toMatch(/^已登记 2 条走访：/)
    const [zhang, li] = idsOf(reply)
    expect(await record(zhang!)).toMatchObject({ notes: '身體健康；', needs: undefined })
    expect(await record(li!)).toMatchObject({ needs: '房屋漏雨，需修繕！' })
  })

  it('keeps the 备注 shared by a list of names as typed on each visit', async () => {
    const [reply] = await say(t, 'li', '走访 张三、李一 今天 八一 備註：精神很好，無特殊需求')

    const ids = idsOf(reply)
    expect(ids).toHaveLength(2)
    for (const id of ids) {
      expect(await record(id)).toMatchObject({ notes: '精神很好，無特殊需求', needs: undefined })
    }
  })

  it('keeps a person’s 备注 from 添加对象 as typed, the name and village folded', async () => {
    const [reply] = await say(
      t,
      'admin',
      '添加对象 周國強 鐵爐嘴村 烈屬 電話13900001111 備註：腿腳不便，住二樓（東頭）',
    )

    expect(reply).toMatch(/^已添加 #(\d+)：铁炉嘴村 周国强（烈士遗属），电话 139\*\*\*\*1111\n/)
    const id = Number(/#(\d+)/.exec(reply!)![1])
    expect(await record(id)).toMatchObject({ name: '周国强', notes: '腿腳不便，住二樓（東頭）' })
    expect((await say(t, 'admin', '对象 周国强'))[0]).toContain('备注 腿腳不便，住二樓（東頭）')
  })
})

describe('电话 as a cadre writes it in 添加对象', () => {
  const added = async (name: string, phone: string) => {
    const [reply] = await say(t, 'admin', `添加对象 ${name} 铁炉嘴村 烈属 ${phone}`)
    expect(reply).toMatch(/^已添加 #\d+：铁炉嘴村 /)
    const [card] = await say(t, 'admin', `对象 ${name}`)
    return /电话 (\S+)/.exec(card!)?.[1]
  }

  it('accepts spaces, dashes of any width and a +86 or 0086 in front, and stores the digits', async () => {
    expect(await added('周一', '电话 139-0000-1111')).toBe('13900001111')
    expect(await added('周二', '电话 139 0000 1112')).toBe('13900001112')
    expect(await added('周三', '电话 ＋86 139 0000 1113')).toBe('13900001113')
    expect(await added('周四', '电话 139—0000—1114')).toBe('13900001114')
    expect(await added('周五', '电话：0086-139－0000－1115')).toBe('13900001115')
    expect(await added('周六', '手机号 +8613900001116')).toBe('13900001116')
    expect(await added('周七', '139-0000-1117')).toBe('13900001117')
    expect(await added('周八', '139 0000 1118')).toBe('13900001118')
    expect(await added('周九', '电话 0571 8888 6666')).toBe('057188886666')
  })

  it('takes only the phone’s words: an ID number after it is the ID number', async () => {
    const [reply] = await say(
      t,
      'admin',
      '添加对象 周十 铁炉嘴村 烈属 电话 139 0000 1119 身份证320102199001011232',
    )

    expect(reply).toMatch(
      /^已添加 #\d+：铁炉嘴村 周十（烈士遗属），电话 139\*\*\*\*1119，身份证 3201/,
    )
  })

  it('refuses a wrong length, saying how to write a phone', async () => {
    const [short] = await say(t, 'admin', '添加对象 周一 铁炉嘴村 烈属 电话 139-0000-111')
    const [long] = await say(t, 'admin', '添加对象 周一 铁炉嘴村 烈属 电话 139 0000 11112')
    const [none] = await say(t, 'admin', '添加对象 周一 铁炉嘴村 烈属 电话')

    expect(short).toBe(
      '未添加：电话 …0111 是 10 位，不像电话号码：手机号为 11 位、以 1 开头；座机请带区号，如「0571-88886666」。\n请改正后重发。',
    )
    expect(long).toMatch(/^未添加：电话 …1112 是 12 位，不像电话号码：手机号为 11 位、以 1 开头/)
    expect(none).toBe('未添加：电话后面没有号码：如「电话 139-0000-1111」。\n请改正后重发。')
    expect((await say(t, 'admin', '对象 周一'))[0]).toMatch(/^没有找到「周一」/)
  })
})

describe('「确认」 and 「取消」 with nothing waiting', () => {
  it('「确认」 says there is nothing to confirm and how to log a record', async () => {
    for (const text of ['确认', '确认。', '確認', '确定']) {
      expect(await say(t, 'li', text)).toEqual([
        '没有待确认的内容。要登记请直接发，如\n「走访 张三 今天 八一」。',
      ])
    }
  })

  it('「确认」 after the held write was closed by a command says the same', async () => {
    await say(t, 'li', '走访 张三 今天 八一')
    const [held] = await say(t, 'li', '走访 张三 今天 八一')
    await say(t, 'li', '统计')
    const [late] = await say(t, 'li', '确认')

    expect(held).toMatch(/已登记过八一走访.*这次未登记/)
    expect(late).toBe('没有待确认的内容。要登记请直接发，如\n「走访 张三 今天 八一」。')
    expect(await bayi()).toMatchObject({ visits: 1 })
  })

  it('「确认」 still confirms what waits for it', async () => {
    await say(t, 'li', '走访 张三 今天 八一')
    await say(t, 'li', '走访 张三 今天 八一')
    const [confirmed] = await say(t, 'li', '确认')

    expect(confirmed).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/)
    expect(await bayi()).toMatchObject({ visits: 2 })
  })

  it('「取消」 says there is nothing to cancel', async () => {
    expect(await say(t, 'li', '取消')).toEqual(['没有正在进行的登记，无需取消。'])
  })

  it('an unregistered sender is still told to register', async () => {
    const [reply] = await say(t, 'stranger', '确认')

    expect(reply).toMatch(/^您还未登记为本系统用户/)
  })
})
