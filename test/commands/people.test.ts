import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'

// 2026-07-31 10:00 in Shanghai; the ID-number checks take today from this clock.
const NOW = new Date('2026-07-31T02:00:00Z')
// Valid GB 11643 numbers (check digit computed), born 1990-01-01 and 1985-06-15.
const LI_ID = '320102199001011232'
const ZHAO_ID = '320102198506152212'

describe('添加对象 and 设置角色 keep the roster clean (issue 11)', () => {
  let t: TestBot

  const people = () => t.bot.services.people.listPeople()
  const villages = () => t.bot.services.villages.listVillages()
  /** Adds a line the admin expects to be stored at once, failing loudly otherwise. */
  const seed = async (line: string) => {
    const [reply] = await say(t, 'admin', line)
    expect(reply).toMatch(/^已添加 #\d+/)
    return Number(/#(\d+)/.exec(reply!)![1])
  }

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
  })
  afterEach(async () => {
    await t.cleanup()
  })

  describe('a village not registered yet', () => {
    it('when it is the township’s first village registers it with the person, without asking', async () => {
      const [reply] = await say(t, 'admin', '添加对象 张三 铁炉嘴村 残疾军人 二等乙级')

      expect(reply).toMatch(
        /^已添加 #\d+：铁炉嘴村 张三（残疾军人·二等乙级）\n新登记村（社区）：铁炉嘴村\n/,
      )
      expect(await villages()).toEqual(['铁炉嘴村'])
    })

    it('when other villages exist asks 「确认」 and stores person and village only then', async () => {
      await seed('添加对象 张三 铁炉嘴村 烈属')

      const [asked] = await say(t, 'admin', '添加对象 李四 童家坝村 烈属')
      const heldVillages = await villages()
      const [stored] = await say(t, 'admin', '确认')

      expect(asked).toBe(
        '「童家坝村」还没有登记，这次未添加。已登记的有：铁炉嘴村。\n确是新村（社区）请回复「确认」，将登记该村并添加；写错了请重新发送。',
      )
      expect(heldVillages).toEqual(['铁炉嘴村'])
      expect(stored).toMatch(
        /^已添加 #\d+：童家坝村 李四（烈士遗属）\n新登记村（社区）：童家坝村\n/,
      )
      expect(await villages()).toEqual(['铁炉嘴村', '童家坝村'])
    })

    it('when it is a typo suggests the registered village, and 「取消」 stores nothing', async () => {
      await seed('添加对象 张三 新街村 烈属')

      const [asked] = await say(t, 'admin', '添加对象 李四 新村 烈属')
      const [cancelled] = await say(t, 'admin', '取消')

      expect(asked).toMatch(/^「新村」还没有登记，这次未添加。是不是「新街村」？/)
      expect(cancelled).toBe('已取消，未登记任何内容。')
      expect((await people()).map((p) => p.name)).toEqual(['张三'])
      expect(await villages()).toEqual(['新街村'])
    })

    it('when its full name differs from a registered one only in suffix does not take it for that one', async () => {
      await seed('添加对象 张三 新街村 烈属')

      const [asked] = await say(t, 'admin', '添加对象 李四 新街社区 烈属')

      expect(asked).toMatch(/^「新街社区」还没有登记，这次未添加。是不是「新街村」？/)
      expect(await villages()).toEqual(['新街村'])
    })

    it('when the answer is neither 「确认」 nor 「取消」 asks again and stores nothing', async () => {
      await seed('添加对象 张三 铁炉嘴村 烈属')
      await say(t, 'admin', '添加对象 李四 童家坝村 烈属')

      const [again] = await say(t, 'admin', '好的')

      expect(again).toBe(
        '请回复「确认」登记新村并添加；村名写错了请重新发送「添加对象 …」。\n回复「取消」退出。',
      )
      expect(await villages()).toEqual(['铁炉嘴村'])
    })

    it('when written without its suffix finds the registered village, without asking', async () => {
      await seed('添加对象 张三 铁炉嘴村 烈属')

      const [reply] = await say(t, 'admin', '添加对象 李四 铁炉嘴 烈属')

      expect(reply).toMatch(/^已添加 #\d+：铁炉嘴村 李四（烈士遗属）\n撤销/)
    })

    it('when a word is near a registered village but no village, says which one it may be', async () => {
      await seed('添加对象 张三 铁炉嘴村 烈属')

      const [reply] = await say(t, 'admin', '添加对象 李四 铁炉咀 烈属')

      expect(reply).toMatch(/^未添加：没看懂「铁炉咀」：是不是「铁炉嘴村」。\n格式：添加对象/)
    })
  })

  describe('a likely second entry of someone', () => {
    beforeEach(async () => {
      await seed(`添加对象 李四 铁炉嘴村 义务兵家庭 农村 电话13800001111 身份证${LI_ID}`)
    })

    it('when the name is taken in the same village shows the earlier record masked and holds for 「确认」', async () => {
      const [asked] = await say(t, 'admin', '添加对象 李四 铁炉嘴村 烈属')
      const held = await people()
      const [stored] = await say(t, 'admin', '确认')

      expect(asked).toMatch(
        /^李四可能已在花名册上，这次未添加：\n#\d+ 铁炉嘴村 李四（义务兵家庭），电话 138\*\*\*\*1111，身份证 3201\*{10}1232（同村同名）\n确是另一人（如同名的亲属）请回复「确认」，否则不用回复。$/,
      )
      expect(asked).not.toContain(LI_ID)
      expect(held).toHaveLength(1)
      expect(stored).toMatch(/^已添加 #\d+：铁炉嘴村 李四（烈士遗属）/)
      expect(await people()).toHaveLength(2)
    })

    it('when the phone is taken by another person holds for 「确认」 and says why', async () => {
      const [asked] = await say(t, 'admin', '添加对象 李五 铁炉嘴村 义务兵家庭 电话13800001111')

      expect(asked).toMatch(
        /李五可能已在花名册上，这次未添加：\n#\d+ 铁炉嘴村 李四（义务兵家庭），电话 138\*\*\*\*1111.*（电话相同）/,
      )
      expect(await people()).toHaveLength(1)
    })

    it('when the ID number is taken refuses it with the record that holds it, masked', async () => {
      const [reply] = await say(t, 'admin', `添加对象 李小四 童家坝村 烈属 身份证${LI_ID}`)

      expect(reply).toMatch(
        /^未添加：身份证号已登记在 #\d+ 铁炉嘴村 李四（义务兵家庭），电话 138\*\*\*\*1111，身份证 3201\*{10}1232。同一人不必再加/,
      )
      expect(await people()).toHaveLength(1)
      expect(await villages()).toEqual(['铁炉嘴村'])
    })

    it('when a new command comes instead of 「确认」 abandons the held person', async () => {
      await say(t, 'admin', '添加对象 李四 铁炉嘴村 烈属')

      const [found] = await say(t, 'admin', '对象 李四')

      expect(found).toMatch(/^#\d+ \S+（/)
      expect(await people()).toHaveLength(1)
    })

    it('when the 「确认」 is redelivered stores the person once', async () => {
      await say(t, 'admin', '添加对象 李四 铁炉嘴村 烈属')

      await say(t, 'admin', '确认', { id: 'confirm-1' })
      const again = await say(t, 'admin', '确认', { id: 'confirm-1' })

      expect(again).toEqual([expect.stringMatching(/^这条消息已处理过（记录 #\d+）/)])
      expect(await people()).toHaveLength(2)
    })

    it('keeps no clear phone or ID number in the held form', async () => {
      await say(t, 'admin', `添加对象 李四 铁炉嘴村 烈属 电话13900002222 身份证${ZHAO_ID}`)

      const saved = await t.redis.get(t.keys.form('sandbox', 'admin', 'admin'))

      expect(saved).toContain('李四')
      expect(saved).not.toContain(ZHAO_ID)
      expect(saved).not.toContain('13900002222')
    })

    it('when both a new village and a namesake need 「确认」 asks for each in turn', async () => {
      const [village] = await say(t, 'admin', '添加对象 李五 童家坝村 烈属 电话13800001111')
      const [duplicate] = await say(t, 'admin', '确认')
      const [stored] = await say(t, 'admin', '确认')

      expect(village).toMatch(/^「童家坝村」还没有登记/)
      expect(duplicate).toMatch(/李五可能已在花名册上，这次未添加：\n.*（电话相同）/)
      expect(stored).toMatch(
        /^已添加 #\d+：童家坝村 李五（烈士遗属），电话 138\*\*\*\*1111\n新登记村/,
      )
    })
  })

  describe('a field that is wrong says which and how to write it', () => {
    beforeEach(async () => {
      await seed('添加对象 张三 铁炉嘴村 烈属')
    })

    const refused = async (line: string) => {
      const [reply] = await say(t, 'admin', line)
      expect(await people()).toHaveLength(1)
      return reply
    }

    it('an ID number with a wrong check digit, masked', async () => {
      const reply = await refused('添加对象 李四 铁炉嘴村 烈属 身份证320102199001011234')

      expect(reply).toBe(
        '未添加：身份证号 …1234 校验位不对（按前 17 位应为 2），多半是抄错了一位，请核对。\n请改正后重发。',
      )
    })

    it('an ID number with month 13, with 02-30, or born in 2099', async () => {
      expect(await refused('添加对象 李四 铁炉嘴村 烈属 身份证110105198913301238')).toContain(
        '身份证号 …1238 的出生日期（第 7–14 位）不对：没有 13 月',
      )
      expect(await refused('添加对象 李四 铁炉嘴村 烈属 身份证110105202302301238')).toContain(
        '2 月没有 30 日',
      )
      expect(await refused('添加对象 李四 铁炉嘴村 烈属 110105209901011234')).toContain(
        '年份 2099 还没到',
      )
    })

    it('an ID number of the wrong length', async () => {
      expect(await refused('添加对象 李四 铁炉嘴村 烈属 身份证3201021990010112')).toBe(
        '未添加：身份证号 …0112 是 16 位，应为 18 位（末位可为 X），请核对。\n请改正后重发。',
      )
    })

    it('a name with : or |', async () => {
      expect(await refused('添加对象 李:四 铁炉嘴村 烈属')).toBe(
        '未添加：姓名「李:四」不能含「:」或「|」：只写姓名，如「张三」。\n请改正后重发。',
      )
      expect(await refused('添加对象 李|四 铁炉嘴村 烈属')).toContain('不能含「:」或「|」')
    })

    it('a name with a control character', async () => {
      expect(await refused('添加对象 李\u0007四 铁炉嘴村 烈属')).toMatch(
        /^未添加：姓名里有看不见的控制字符（多半是从别处粘贴带来的）：请手动输入姓名。/,
      )
    })

    it('a name too long', async () => {
      expect(await refused(`添加对象 ${'李'.repeat(31)} 铁炉嘴村 烈属`)).toBe(
        '未添加：姓名有 31 个字，最多 30 个字：姓名、村名、类别之间请用空格隔开。\n请改正后重发。',
      )
    })

    it('notes too long', async () => {
      expect(await refused(`添加对象 李四 铁炉嘴村 烈属 备注 ${'字'.repeat(501)}`)).toBe(
        '未添加：备注有 501 个字，最多 500 个字：请精简后重发。\n请改正后重发。',
      )
    })

    it('a malformed phone', async () => {
      expect(await refused('添加对象 李四 铁炉嘴村 烈属 电话1380000')).toBe(
        '未添加：电话 …0000 是 7 位，不像电话号码：手机号为 11 位、以 1 开头；座机请带区号，如「0571-88886666」。\n请改正后重发。',
      )
    })

    it('several problems at once, each on its line', async () => {
      const reply = await refused(
        '添加对象 李:四 铁炉嘴村 烈属 电话1380000 身份证320102199001011234',
      )

      expect(reply).toMatch(
        /^未添加，有 3 处要改：\n· 姓名「李:四」.*\n· 电话 …0000.*\n· 身份证号 …1234 校验位不对.*\n请改正后重发。$/,
      )
    })

    it.each([
      ['义务兵家庭 农村 城镇', '写了两个户口（农村、城镇），请只写一个'],
      ['烈士遗属 残疾军人', '写了两个类别（烈士遗属、残疾军人），请只写一个'],
      ['童家坝村 烈士遗属', '写了两个村（铁炉嘴村、童家坝村），请只写一个'],
      ['残疾军人 一级 二级', '写了两个伤残等级（一级、二级），请只写一个'],
    ])(
      'a field written twice (%s) is refused, not the last one taken (a tester)',
      async (fields, why) => {
        await t.bot.services.villages.addVillage('童家坝村', {
          actor: 'sandbox:admin',
          at: NOW,
          idempotencyKey: 'v2',
        })
        const reply = await refused(`添加对象 周十六 铁炉嘴村 ${fields}`)

        expect(reply).toBe(`未添加：${why}。\n请改正后重发。`)
      },
    )
  })

  describe('设置角色 村干部 with a village not registered', () => {
    it('when it is a typo suggests the nearest registered village and neither binds nor creates', async () => {
      await seed('添加对象 张三 新街村 烈属')

      const [reply] = await say(t, 'admin', '设置角色 sandbox:li 村干部 新村')

      expect(reply).toBe(
        '还没有登记「新村」，未设置。是不是「新街村」？请重发，如「设置角色 sandbox:li 村干部 新街村」。已登记的有：新街村。新村（社区）请先用「添加对象」登记该村的对象。',
      )
      expect(await t.bot.services.roles.get('sandbox:li')).toBeUndefined()
      expect(await villages()).toEqual(['新街村'])
    })

    it('when its short name is shared by two villages names both', async () => {
      await seed('添加对象 张三 新街村 烈属')
      await say(t, 'admin', '添加对象 李四 新街社区 烈属')
      await say(t, 'admin', '确认')

      const [reply] = await say(t, 'admin', '设置角色 sandbox:li 村干部 新街')

      expect(reply).toMatch(/^还没有登记「新街」，未设置。是不是「新街村」或「新街社区」？/)
    })

    it('when its full name differs from a registered one only in suffix neither binds nor creates', async () => {
      await seed('添加对象 张三 新街村 烈属')

      const [reply] = await say(t, 'admin', '设置角色 sandbox:li 村干部 新街社区')

      expect(reply).toMatch(/^还没有登记「新街社区」，未设置。是不是「新街村」？/)
      expect(await t.bot.services.roles.get('sandbox:li')).toBeUndefined()
    })

    it('when no village is registered at all says how villages get registered', async () => {
      const [reply] = await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村')

      expect(reply).toBe(
        '还没有登记「铁炉嘴村」，未设置。村（社区）随花名册登记：请先「添加对象 姓名 铁炉嘴村 类别」，再设置村干部。',
      )
      expect(await villages()).toEqual([])
    })

    it('when written without its suffix still binds the registered village', async () => {
      await seed('添加对象 张三 铁炉嘴村 烈属')

      const [reply] = await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴')

      expect(reply).toBe('已设置 sandbox:li 为村干部，负责 铁炉嘴村。')
    })
  })
})
