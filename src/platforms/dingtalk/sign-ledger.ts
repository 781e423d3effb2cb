/**
 * Remembers which message first presented a robot callback's `timestamp`/`sign` pair.
 * Why: the sign covers only the timestamp, not the body, so a pair captured once would
 * otherwise carry any body for the hour it stays valid (issue 10).
 */
export interface DingtalkSignLedger {
  /**
   * Records `messageId` as the user of the pair for `ttlMs` unless one is recorded already,
   * and resolves to the message id that holds it (`messageId` itself when it was free).
   * Rejects when the store cannot be reached (the route answers 503).
   */
  claim(timestamp: string, sign: string, messageId: string, ttlMs: number): Promise<string>
}
