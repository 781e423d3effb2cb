import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { ConfigError } from '../../src/errors.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { linkedWorkbook } from '../support/export-sheets.js'
import { seedTown } from '../support/town.js'

describe('TOWNSHIP_NAME in the exports (issue 13)', () => {
  let t: TestBot | undefined

  afterEach(async () => {
    await t?.cleanup()
    t = undefined
  })

  it('when unset, titles start with the period and 制表单位 is a blank to fill in by hand', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-01T02:00:00Z') },
    )
    await seedTown(t)
    const [reply] = await say(t, 'boss', '导出 优待金 2026')
    const book = await linkedWorkbook(t, reply!)
    const sheet = book.getWorksheet('优待金发放 2026')!

    expect(sheet.getRow(1).getCell(1).value).toBe('2026年义务兵家庭优待金发放表')
    expect(sheet.getRow(2).getCell(1).value).toMatch(/^制表单位：_+\s+制表人：boss\s/)
  })

  it('is trimmed, and a name over 30 characters stops start-up naming the variable', () => {
    expect(loadConfig({ TOWNSHIP_NAME: ' 铁炉镇 ' }).townshipName).toBe('铁炉镇')
    expect(loadConfig({}).townshipName).toBeUndefined()
    expect(() => loadConfig({ TOWNSHIP_NAME: '镇'.repeat(31) })).toThrow(ConfigError)
    expect(() => loadConfig({ TOWNSHIP_NAME: '镇'.repeat(31) })).toThrow(/TOWNSHIP_NAME/)
  })
})
