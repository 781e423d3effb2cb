import { describe, expect, it } from 'vitest'
import { checkChatPhone, nameProblem, notesProblem } from '../../src/records/person-fields.js'

describe('nameProblem', () => {
  it('when the name is ordinary (or a minority name with ·) finds nothing wrong', () => {
    expect(nameProblem('张三')).toBeUndefined()
    expect(nameProblem('阿卜杜热合曼·买买提')).toBeUndefined()
  })

  it('when the name holds : or | says it may not and how to write it', () => {
    expect(nameProblem('张:三')).toBe('姓名「张:三」不能含「:」或「|」：只写姓名，如「张三」')
    expect(nameProblem('张|三')).toMatch(/不能含「:」或「\|」/)
  })

  it('when the name holds a control or direction character says so', () => {
    expect(nameProblem('张\u0007三')).toMatch(/^姓名里有看不见的控制字符/)
    expect(nameProblem('张\u202e三')).toMatch(/^姓名里有看不见的控制字符/)
  })

  it('when the name is over 30 characters gives the count and the limit', () => {
    expect(nameProblem('张'.repeat(31))).toBe(
      '姓名有 31 个字，最多 30 个字：姓名、村名、类别之间请用空格隔开',
    )
  })

  it('when the name is not Chinese characters (a tester added 😀, 1234, <script>) says how to write it', () => {
    for (const odd of ['😀', '1234', '。。', '周-二', '<script>alert(1)</script>', 'Zhang San']) {
      expect(nameProblem(odd), odd).toMatch(
        /^姓名「.+」不像姓名：请写汉字姓名（少数民族姓名用「·」隔开）$/,
      )
    }
    expect(nameProblem('<script>alert(1)</script>')).toContain('「<script>al…」')
  })
})

describe('notesProblem', () => {
  it('when the notes run over several lines accepts them', () => {
    expect(notesProblem('腿脚不便\n需修缮')).toBeUndefined()
  })

  it('when the notes are over 500 characters gives the count and the limit', () => {
    expect(notesProblem('字'.repeat(501))).toBe('备注有 501 个字，最多 500 个字：请精简后重发')
  })

  it('when the notes hold a control character says so', () => {
    expect(notesProblem('腿脚\u0000不便')).toMatch(/^备注里有看不见的控制字符/)
  })
})

describe('checkChatPhone', () => {
  it('accepts a mobile or a landline with its area code, in canonical digits', () => {
    expect(checkChatPhone('13800001111')).toEqual({ value: '13800001111' })
    expect(checkChatPhone('+86 138-0000-1111')).toEqual({ value: '13800001111' })
    expect(checkChatPhone('0571-88886666')).toEqual({ value: '057188886666' })
  })

  it('when the number is too short says how long it is and how to write one', () => {
    expect(checkChatPhone('1380000')).toEqual({
      problem:
        '电话 …0000 是 7 位，不像电话号码：手机号为 11 位、以 1 开头；座机请带区号，如「0571-88886666」',
    })
  })

  it('when the number holds letters says so', () => {
    expect(checkChatPhone('138abc01111')).toEqual({
      problem: expect.stringMatching(/^电话 …1111 里有数字以外的字符/),
    })
  })
})
