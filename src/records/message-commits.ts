/**
 * A message's redelivery marker (`Keys.seenMessage`) is a short lease while an attempt
 * handles it and becomes final only with the commit of its work (docs/delivery.md).
 */

/**
 * The final marker of a message that wrote no record; one whose record write committed it is
 * `COMMITTED_PREFIX` + the record id (0 for a setting); a lease is `LEASE_PREFIX` + a token.
 */
export const FINAL_MARKER = '1'

export const COMMITTED_PREFIX = 'W'

export const LEASE_PREFIX = 'L'

/** How long a handled message stays final; the platforms redeliver within minutes. */
export const FINAL_MARKER_TTL_SECONDS = 3 * 24 * 3600

/** One attempt at one message, open while the dispatcher handles it. */
export interface MessageCommit {
  /** `platform:messageId`, the idempotency key of the write that completes the message. */
  readonly idempotencyKey: string
  readonly seenKey: string
  /** Set by the write script's caller once the script made the marker final. */
  committed: boolean
}

/**
 * The messages this process is handling, by idempotency key. The dispatcher opens one per
 * attempt; a record write under the same key finalizes its marker inside the write script,
 * so a one-line visit still costs two round trips, and the dispatcher finalizes the rest.
 * Why a registry and not the key's text: a message may make other writes first (a new
 * village under `<key>:village`), and only the one under the message's own key completes it.
 */
export class MessageCommits {
  private readonly open = new Map<string, MessageCommit>()

  begin(idempotencyKey: string, seenKey: string): MessageCommit {
    const commit: MessageCommit = { idempotencyKey, seenKey, committed: false }
    this.open.set(idempotencyKey, commit)
    return commit
  }

  /** The open attempt a write under `idempotencyKey` completes, if any. */
  of(idempotencyKey: string): MessageCommit | undefined {
    return this.open.get(idempotencyKey)
  }

  end(commit: MessageCommit): void {
    // A newer attempt at the same message (after this one's lease ran out) keeps its entry.
    if (this.open.get(commit.idempotencyKey) === commit) this.open.delete(commit.idempotencyKey)
  }
}
