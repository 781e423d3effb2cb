import { describe, expect, it } from 'vitest'
import { WebhookPayloadError } from '../../../src/errors.js'
import { scanWecomEncrypt, scanXml } from '../../../src/platforms/wecom/xml-scan.js'
import { envelopeXml, V4 } from '../../fixtures/wecom/vectors.js'

const limits = { maxDepth: 3, maxLength: 200 }

describe('scanXml', () => {
  it('when the nesting reaches the limit, accepts it', () => {
    expect(() => scanXml('<a><b><c/><c>x</c></b></a>', 'doc', undefined, limits)).not.toThrow()
  })

  it('when the nesting passes the limit, throws WebhookPayloadError naming the limit', () => {
    expect(() => scanXml('<a><b><c><d/></c></b></a>', 'doc', undefined, limits)).not.toThrow()
    expect(() => scanXml('<a><b><c><d></d></c></b></a>', 'doc', undefined, limits)).toThrow(
      'wecom: doc is nested too deep (over 3 levels)',
    )
  })

  it('when markup sits inside CDATA or a comment, does not count it', () => {
    const xml = '<a><![CDATA[<b><c><d><e>]]><!-- <b><c><d> --></a>'

    expect(() => scanXml(xml, 'doc', undefined, limits)).not.toThrow()
  })

  it('when the document is longer than the limit, throws before scanning', () => {
    expect(() => scanXml(`<a>${'x'.repeat(200)}</a>`, 'doc', undefined, limits)).toThrow(
      /too large/,
    )
  })

  it.each([
    ['a mismatched close', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['an unclosed tag', '<a x="1"'],
    ['an unclosed CDATA', '<a><![CDATA[x</a>'],
    ['a nameless tag', '<a>< /></a>'],
  ])('when the document has %s, throws WebhookPayloadError', (_, xml) => {
    expect(() => scanXml(xml, 'doc', undefined, limits)).toThrow(WebhookPayloadError)
  })

  it('when the document declares a DOCTYPE, refuses it', () => {
    expect(() => scanXml('<!DOCTYPE a><a/>', 'doc')).toThrow(/DOCTYPE or ENTITY/)
  })
})

describe('scanWecomEncrypt', () => {
  it('when given official vector V4 envelope, reads its Encrypt', () => {
    const body = envelopeXml(V4.keys.corpId, V4.encrypted, V4.agentId)

    expect(scanWecomEncrypt(body)).toBe(V4.encrypted)
  })

  it('when Encrypt sits deeper than the root child, does not take it', () => {
    expect(() => scanWecomEncrypt('<xml><a><Encrypt>QUFB</Encrypt></a></xml>')).toThrow(
      'wecom: body has 0 <Encrypt> elements, not one',
    )
  })

  it('when there are two Encrypt elements, refuses the body', () => {
    expect(() =>
      scanWecomEncrypt('<xml><Encrypt>QUFB</Encrypt><Encrypt>QkJC</Encrypt></xml>'),
    ).toThrow(/2 <Encrypt> elements/)
  })

  it.each([
    ['an unclosed element', '<xml><Encrypt>QUFB</Encrypt>', /is not closed/],
    ['mismatched tags', '<xml><Encrypt>QUFB</Nonce></xml>', /closes nothing/],
    ['text after the root', '<xml><Encrypt>QUFB</Encrypt></xml>trailing', /outside the root/],
    ['text before the root', 'Encrypt=QUFB<xml><Encrypt>QUFB</Encrypt></xml>', /outside the root/],
    ['a second root', '<xml><Encrypt>QUFB</Encrypt></xml><xml/>', /more than one root/],
    ['plain text', 'Encrypt=QUFB', /outside the root/],
  ])('when the body has %s, refuses it as not XML', (_, body, why) => {
    expect(() => scanWecomEncrypt(body)).toThrow(why)
  })

  it('when elements are separated by whitespace around a declaration, reads Encrypt', () => {
    const body =
      '<?xml version="1.0"?>\n<xml>\n  <ToUserName>ww1&amp;2</ToUserName>\n  <Encrypt>QUFB</Encrypt>\n</xml>\n'

    expect(scanWecomEncrypt(body)).toBe('QUFB')
  })

  it('when the root is not <xml>, refuses the body', () => {
    expect(() => scanWecomEncrypt('<root><Encrypt>QUFB</Encrypt></root>')).toThrow(/no <xml> root/)
  })
})
