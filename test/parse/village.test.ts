import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { foldText } from '../../src/parse/normalize.js'
import {
  looksLikeVillage,
  matchVillage,
  splitVillagePrefix,
  villageBase,
} from '../../src/parse/village.js'

const KNOWN = ['铁炉嘴村', '童家坝村', '新街社区', '红旗居委会', '石桥村委会'] as const

describe('villageBase', () => {
  it.each([
    ['铁炉嘴村', '铁炉嘴'],
    ['新街社区', '新街'],
    ['红旗居委会', '红旗'],
    ['石桥村委会', '石桥'],
    ['新街社区居委会', '新街'],
    [' 铁炉嘴 ', '铁炉嘴'],
    ['铁炉嘴', '铁炉嘴'],
    ['村', '村'],
  ])('when given %j, returns %j', (name, base) => {
    expect(villageBase(name)).toBe(base)
  })
})

describe('matchVillage', () => {
  it.each([
    ['铁炉嘴', '铁炉嘴村'],
    ['铁炉嘴村', '铁炉嘴村'],
    ['新街', '新街社区'],
    ['新街社区', '新街社区'],
    ['石桥', '石桥村委会'],
    ['石桥村', '石桥村委会'],
    [' 童家坝 ', '童家坝村'],
  ])('when given %j, returns the known name %j', (input, name) => {
    expect(matchVillage(input, KNOWN)).toBe(name)
  })

  it('when given a traditional-script name folded first, finds the simplified one', () => {
    expect(matchVillage(foldText('鐵爐嘴村'), KNOWN)).toBe('铁炉嘴村')
  })

  it('when a base name fits two known villages, returns undefined unless one matches exactly', () => {
    const known = ['新街村', '新街社区']

    expect(matchVillage('新街', known)).toBeUndefined()
    expect(matchVillage('新街社区', known)).toBe('新街社区')
  })

  it.each([['张三'], ['铁炉'], [''], ['村']])('when given %j, returns undefined', (input) => {
    expect(matchVillage(input, KNOWN)).toBeUndefined()
  })

  it('when given any known name with or without its suffix, returns it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN), fc.boolean(), (name, bare) => {
        expect(matchVillage(bare ? villageBase(name) : name, KNOWN)).toBe(name)
      }),
    )
  })

  it('when given arbitrary unicode, never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        matchVillage(text, KNOWN)
        villageBase(text)
        looksLikeVillage(text)
      }),
    )
  })
})

describe('looksLikeVillage', () => {
  it.each([['铁炉嘴村'], ['新街社区'], ['红旗居委会'], ['石桥村委会'], ['红旗2村']])(
    'when given %j, returns true',
    (token) => {
      expect(looksLikeVillage(token)).toBe(true)
    },
  )

  it.each([['张三'], ['村'], ['农村'], ['本村'], ['铁炉嘴'], ['abc村'], ['二等乙级'], ['']])(
    'when given %j, returns false',
    (token) => {
      expect(looksLikeVillage(token)).toBe(false)
    },
  )
})

describe('splitVillagePrefix', () => {
  it.each([
    ['铁炉嘴村张三', '铁炉嘴村', '张三'],
    ['铁炉嘴张三', '铁炉嘴村', '张三'],
    ['新街社区孙一', '新街社区', '孙一'],
    ['红旗居委会欧阳明', '红旗居委会', '欧阳明'],
  ])('when given %j, returns %j and %j', (word, village, rest) => {
    expect(splitVillagePrefix(word, KNOWN)).toEqual({ village, rest })
  })

  it('prefers the longer village: 新街社区孙一 is 新街社区’s even with 新街村 known', () => {
    expect(splitVillagePrefix('新街社区孙一', [...KNOWN, '新街村'])).toEqual({
      village: '新街社区',
      rest: '孙一',
    })
  })

  it.each([
    ['张三'],
    ['铁炉嘴村'],
    // One character left is no name, and 铁炉嘴村's 村 is not the start of one.
    ['铁炉嘴村张'],
    ['铁炉嘴张'],
    [''],
  ])('when given %j, returns undefined', (word) => {
    expect(splitVillagePrefix(word, KNOWN)).toBeUndefined()
  })

  it('a base two villages share names neither', () => {
    expect(splitVillagePrefix('新街孙一', [...KNOWN, '新街村'])).toBeUndefined()
  })
})
