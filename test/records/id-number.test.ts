import { describe, expect, it } from 'vitest'
import { checkIdNumber } from '../../src/records/id-number.js'

// The checks take today from the caller (the injected clock), never from the machine.
const TODAY = '2026-07-31'

describe('checkIdNumber', () => {
  it('when the number is valid returns it in canonical form', () => {
    expect(checkIdNumber('320102199001011232', TODAY)).toEqual({ value: '320102199001011232' })
    expect(checkIdNumber('11010519491231002x', TODAY)).toEqual({ value: '11010519491231002X' })
    expect(checkIdNumber('３２０１０２ １９９００１０１１２３２', TODAY)).toEqual({
      value: '320102199001011232',
    })
  })

  it('when the check digit is wrong says so, names the expected one and masks the number', () => {
    const checked = checkIdNumber('320102199001011234', TODAY)

    expect(checked).toEqual({
      problem: '身份证号 …1234 校验位不对（按前 17 位应为 2），多半是抄错了一位',
    })
    expect(JSON.stringify(checked)).not.toContain('3201021990')
  })

  it('when the month is 13 refuses the birth date', () => {
    expect(checkIdNumber('110105198913301238', TODAY)).toEqual({
      problem: '身份证号 …1238 的出生日期（第 7–14 位）不对：没有 13 月',
    })
  })

  it('when the day does not exist (02-30) refuses the birth date', () => {
    expect(checkIdNumber('110105202302301238', TODAY)).toEqual({
      problem: '身份证号 …1238 的出生日期（第 7–14 位）不对：2 月没有 30 日',
    })
  })

  it('when the birth year is still to come (2099) refuses it', () => {
    expect(checkIdNumber('110105209901011234', TODAY)).toEqual({
      problem: '身份证号 …1234 的出生日期（第 7–14 位）年份 2099 还没到',
    })
  })

  it('when the birth date is later this year refuses it, and accepts today', () => {
    expect(checkIdNumber('110105202608011233', TODAY)).toEqual({
      problem: '身份证号 …1233 的出生日期（第 7–14 位）在今天之后',
    })
    expect(checkIdNumber('110105202607311234', TODAY)).toEqual({ value: '110105202607311234' })
  })

  it('when the birth year is before 1900 refuses it', () => {
    expect(checkIdNumber('110105189912311237', TODAY)).toEqual({
      problem: '身份证号 …1237 的出生日期（第 7–14 位）年份 1899 早于 1900 年',
    })
  })

  it('when 29 February is in a leap year accepts it', () => {
    expect(checkIdNumber('110105200002291235', TODAY)).toEqual({ value: '110105200002291235' })
  })

  it('when the length is wrong says how many characters it has', () => {
    expect(checkIdNumber('32010219900101123', TODAY)).toEqual({
      problem: '身份证号 …1123 是 17 位，应为 18 位（末位可为 X）',
    })
  })

  it('when it holds other characters, or an X not at the end, refuses it', () => {
    const expected = { problem: expect.stringContaining('只能是数字，末位可为 X') }
    expect(checkIdNumber('3201021990010112-2', TODAY)).toEqual(expected)
    expect(checkIdNumber('32010219900101X232', TODAY)).toEqual(expected)
  })

  it('when it is an old 15-digit number checks its 19xx birth date', () => {
    expect(checkIdNumber('320102900101123', TODAY)).toEqual({ value: '320102900101123' })
    expect(checkIdNumber('320102901301123', TODAY)).toEqual({
      problem: '身份证号 …1123 的出生日期（第 7–14 位）不对：没有 13 月',
    })
  })
})
