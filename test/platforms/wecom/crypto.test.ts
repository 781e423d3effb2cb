import { decrypt, encrypt, getSignature } from '@wecom/crypto'
import { describe, expect, it } from 'vitest'
import { WebhookAuthError } from '../../../src/errors.js'
import {
  decryptWecom,
  encryptWecomReply,
  verifyWecomSignature,
} from '../../../src/platforms/wecom/crypto.js'
import { V1, V2, V3, V4 } from '../../fixtures/wecom/vectors.js'

const OTHER_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

describe('verifyWecomSignature', () => {
  it('when given official vector V1, accepts its msg_signature', () => {
    expect(
      verifyWecomSignature(V1.keys.token, V1.timestamp, V1.nonce, V1.echostr, V1.signature),
    ).toBe(true)
  })

  it('when given official vector V4, accepts its msg_signature over Encrypt', () => {
    expect(
      verifyWecomSignature(V4.keys.token, V4.timestamp, V4.nonce, V4.encrypted, V4.signature),
    ).toBe(true)
  })

  it('when one hex digit differs, rejects', () => {
    const forged = `${V1.signature.slice(0, -1)}${V1.signature.endsWith('b') ? 'c' : 'b'}`

    expect(verifyWecomSignature(V1.keys.token, V1.timestamp, V1.nonce, V1.echostr, forged)).toBe(
      false,
    )
  })

  it('when the signature has the wrong length, rejects without throwing', () => {
    expect(verifyWecomSignature(V1.keys.token, V1.timestamp, V1.nonce, V1.echostr, 'abc')).toBe(
      false,
    )
  })
})

describe('decryptWecom', () => {
  it('when given official vector V2, returns its plaintext', () => {
    expect(decryptWecom(V2.keys.encodingAesKey, V2.encrypted, V2.keys.corpId)).toBe(V2.plaintext)
  })

  it('when given official vector V4, returns its plaintext with MsgId intact', () => {
    const plaintext = decryptWecom(V4.keys.encodingAesKey, V4.encrypted, V4.keys.corpId)

    expect(plaintext).toBe(V4.plaintext)
    expect(plaintext).toContain('<MsgId>4561255354251345929</MsgId>')
  })

  it('when the ciphertext was made for another CorpID, throws WebhookAuthError', () => {
    const encrypted = encrypt(V3.keys.encodingAesKey, '<xml/>', 'wwsomeoneelse')

    expect(() => decryptWecom(V3.keys.encodingAesKey, encrypted, V3.keys.corpId)).toThrow(
      WebhookAuthError,
    )
  })

  it('when the ciphertext was made with another key, throws WebhookAuthError', () => {
    const encrypted = encrypt(OTHER_AES_KEY, '<xml/>', V3.keys.corpId)

    expect(() => decryptWecom(V3.keys.encodingAesKey, encrypted, V3.keys.corpId)).toThrow(
      WebhookAuthError,
    )
  })

  it('when the ciphertext is not whole AES blocks, throws WebhookAuthError', () => {
    expect(() => decryptWecom(V3.keys.encodingAesKey, 'AAAA', V3.keys.corpId)).toThrow(
      WebhookAuthError,
    )
  })
})

describe('encryptWecomReply', () => {
  it('when decrypted with @wecom/crypto, gives the plaintext and the CorpID, correctly signed', () => {
    const sealed = encryptWecomReply(
      V3.keys.token,
      V3.keys.encodingAesKey,
      V3.keys.corpId,
      '<xml>回复</xml>',
      '1409659900',
      '12345',
    )

    expect(decrypt(V3.keys.encodingAesKey, sealed.encrypted)).toMatchObject({
      message: '<xml>回复</xml>',
      id: V3.keys.corpId,
    })
    expect(sealed.signature).toBe(
      getSignature(V3.keys.token, '1409659900', '12345', sealed.encrypted),
    )
  })

  it('when many replies are sealed, no two share a random prefix, across pool refills', () => {
    const prefixes = new Set<string>()
    for (let i = 0; i < 600; i++) {
      const { encrypted } = encryptWecomReply('t', V3.keys.encodingAesKey, 'ww1', 'x', '1', '2')
      prefixes.add(decrypt(V3.keys.encodingAesKey, encrypted).random.toString('hex'))
    }

    expect(prefixes.size).toBe(600)
  })
})
