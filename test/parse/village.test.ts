import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { foldText } from '../../src/parse/normalize.js'
import { looksLikeVillage, matchVillage, villageBase } from '../../src/parse/village.js'

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
