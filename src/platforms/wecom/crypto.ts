import { randomBytes, timingSafeEqual } from 'node:crypto'
import { decrypt, encrypt, getSignature } from '@wecom/crypto'
import { WebhookAuthError } from '../../errors.js'

// developer.work.weixin.qq.com/document/path/96466
// "msg_signature = sha1(sort(token, timestamp, nonce, msg_encrypt))", 40 lowercase hex chars.
/**
 * True when `signature` is WeCom's msg_signature over (token, timestamp, nonce, encrypted).
 * `encrypted` is the URL-decoded echostr for GET and the `<Encrypt>` text for POST.
 */
export function verifyWecomSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
  signature: string,
): boolean {
  const expected = Buffer.from(getSignature(token, timestamp, nonce, encrypted), 'utf8')
  const given = Buffer.from(signature, 'utf8')
  // Constant time so an attacker cannot learn the signature byte by byte from response
  // times; timingSafeEqual throws on unequal lengths, and the length (40) is public anyway.
  return expected.length === given.length && timingSafeEqual(expected, given)
}

// developer.work.weixin.qq.com/document/path/96466
// "random(16B) + msg_len(4B) + msg + receiveid"; the receiveid must equal the CorpID (-40005).
/**
 * Decrypts a WeCom ciphertext and returns the message. Throws WebhookAuthError when it does
 * not decrypt or when the trailing receive id is not `expectedReceiveId` (the CorpID).
 */
export function decryptWecom(aesKey: string, encrypted: string, expectedReceiveId: string): string {
  let decrypted: { message: string; id: string }
  try {
    decrypted = decrypt(aesKey, encrypted)
  } catch {
    // A bad base64 length or a truncated buffer throws; it is a forged or corrupted call,
    // not a bug of ours, so it answers 401 like any other failed check.
    throw new WebhookAuthError('wecom: ciphertext does not decrypt')
  }
  // With a wrong key @wecom/crypto returns garbage instead of throwing (lenient unpadding);
  // the receive id is the only reliable tell.
  if (decrypted.id !== expectedReceiveId) {
    throw new WebhookAuthError('wecom: receive id does not match the CorpID')
  }
  return decrypted.message
}

/** The `<Encrypt>` and `<MsgSignature>` of one passive reply. */
export interface WecomSealedReply {
  encrypted: string
  signature: string
}

// Why a pool: every reply needs 16 random bytes (the prefix that makes two encryptions of one
// text differ, since WeCom fixes the IV), and a randomBytes call per reply was 6% of the
// WeCom path's profile here, a system call each time. The bytes come from the same CSPRNG,
// 256 replies' worth at a time, and each slice is used once.
const RANDOM_POOL_BYTES = 4096
let randomPool = Buffer.alloc(0)
let randomOffset = 0

function randomPrefix(): Buffer {
  if (randomOffset + 16 > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES)
    randomOffset = 0
  }
  randomOffset += 16
  return randomPool.subarray(randomOffset - 16, randomOffset)
}

// developer.work.weixin.qq.com/document/path/90241
// "MsgSignature = sha1(sort(token, timestamp, nonce, msg_encrypt))" over the reply's TimeStamp/Nonce.
/**
 * Encrypts a passive-reply plaintext for `receiveId` (the CorpID) and signs it with the
 * reply's own `timestamp` (Unix seconds) and `nonce`.
 */
export function encryptWecomReply(
  token: string,
  aesKey: string,
  receiveId: string,
  plaintext: string,
  timestamp: string,
  nonce: string,
): WecomSealedReply {
  const encrypted = encrypt(aesKey, plaintext, receiveId, randomPrefix())
  return { encrypted, signature: getSignature(token, timestamp, nonce, encrypted) }
}
