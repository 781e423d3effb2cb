/**
 * Errors split by who must act (grammY's BotError / GrammyError split, Koa's `expose`).
 * Only UserFacingError text ever reaches a chat user.
 */

/** The user can fix this: `replyText` is shown to them verbatim, in Chinese. */
export class UserFacingError extends Error {
  constructor(readonly replyText: string) {
    super(replyText)
    this.name = 'UserFacingError'
  }
}

/** A webhook call whose signature, timestamp or decryption check failed: 401, no details. */
export class WebhookAuthError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'WebhookAuthError'
  }
}

/** A webhook body that is not what the platform sends (bad XML/JSON, wrong shape): 400. */
export class WebhookPayloadError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'WebhookPayloadError'
  }
}

/**
 * The record store (Redis) cannot answer now: down, too slow, failing over, loading. Thrown by
 * the request-path client (records/redis.ts) in place of ioredis' own error, which is `cause`;
 * webhooks answer 503 so the platform redelivers. Classify with `instanceof`, never by message.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`record store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    })
    this.name = 'StoreUnavailableError'
  }
}

/**
 * A stored value that no longer reads (not JSON, or fails its schema): `key` is the Redis key,
 * `field` the hash field, if any; `reason` says what failed without quoting the value (it may
 * hold personal data). Callers treat the value as absent and log the names.
 */
export class UnreadableRecordError extends Error {
  constructor(
    readonly key: string,
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    super(`unreadable value at ${key}${field === undefined ? '' : ` field ${field}`}: ${reason}`)
    this.name = 'UnreadableRecordError'
  }
}

/** A vendor API answered with an error code. `permanent` errors are not worth retrying. */
export class PlatformApiError extends Error {
  constructor(
    readonly platform: string,
    readonly method: string,
    readonly code: number | string,
    readonly description: string,
    readonly permanent = false,
  ) {
    super(`${platform} ${method} failed: ${code} ${description}`)
    this.name = 'PlatformApiError'
  }
}

/** The network or the vendor's HTTP layer failed (timeout, 5xx, bad JSON): retry later. */
export class PlatformHttpError extends Error {
  constructor(
    readonly platform: string,
    readonly method: string,
    cause: unknown,
  ) {
    super(`${platform} ${method}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    })
    this.name = 'PlatformHttpError'
  }
}

/** Configuration that cannot start the bot; `problems` has one line per variable, with its fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}
