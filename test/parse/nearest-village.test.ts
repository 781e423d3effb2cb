import { describe, expect, it } from 'vitest'
import { nearestVillages } from '../../src/parse/nearest-village.js'

const KNOWN = ['城关社区', '红旗村', '铁炉嘴村', '童家坝村', '新街社区', '新华村']

describe('nearestVillages', () => {
  it('when one character is mistyped suggests the registered village', () => {
    expect(nearestVillages('铁炉咀村', KNOWN)).toEqual(['铁炉嘴村'])
    expect(nearestVillages('童家垻', KNOWN)).toEqual(['童家坝村'])
  })

  it('when a character is missing suggests every equally near village', () => {
    expect(nearestVillages('新村', KNOWN)).toEqual(['新街社区', '新华村'])
  })

  it('when nothing shares a character suggests nothing', () => {
    expect(nearestVillages('白马村', KNOWN)).toEqual([])
    expect(nearestVillages('村', KNOWN)).toEqual([])
  })

  it('when no village is registered suggests nothing', () => {
    expect(nearestVillages('新村', [])).toEqual([])
  })
})
