/**
 * Every Redis key name the bot uses, and nothing else (BullMQ's queue-keys.ts idea).
 *
 * Layout: `<prefix>bot:{<tenant>}:<kind>:...`. The `{tenant}` hash tag keeps all of one
 * deployment's record keys in one Redis Cluster slot, so a MULTI or Lua script that
 * writes a record, its indexes and its counters never spans slots. A county or province
 * serves many townships by giving each its own tenant (and so its own slot).
 * `prefix` is empty in production and `t:<uuid>:` in tests.
 */
export class Keys {
  readonly base: string

  constructor(
    readonly prefix = '',
    readonly tenant = 'main',
  ) {
    this.base = `${prefix}bot:{${tenant}}:`
  }

  /** SET NX marker for a platform message already handled (redelivery guard). */
  seenMessage(platform: string, messageId: string): string {
    return `${this.base}seen:${platform}:${messageId}`
  }

  /** HASH userKey (`platform:userId`) → JSON role binding. */
  roles(): string {
    return `${this.base}roles`
  }

  /** LIST of JSON messages pushed to sandbox users, newest first. */
  sandboxOutbox(): string {
    return `${this.base}sandbox:outbox`
  }

  /** STRING JSON of a partly filled multi-turn form, with a TTL. */
  form(platform: string, chatId: string, userId: string): string {
    return `${this.base}form:${platform}:${chatId}:${userId}`
  }

  /** STRING set once a push (reply or reminder) was delivered: the sent-ledger. */
  delivered(deliveryId: string): string {
    return `${this.base}delivered:${deliveryId}`
  }

  /** STRING cached access token for a platform app. */
  accessToken(platform: string, appId: string): string {
    return `${this.base}token:${platform}:${appId}`
  }

  /** STRING lock held while one process refreshes an access token. */
  accessTokenLock(platform: string, appId: string): string {
    return `${this.base}token-lock:${platform}:${appId}`
  }

  /** The BullMQ prefix: a hash tag so each queue's keys share a Cluster slot. */
  bullPrefix(): string {
    return `${this.prefix}{bull}`
  }
}
