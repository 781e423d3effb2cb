import type { PushQueue } from '../platforms/reply-queue.js'
import { deliverPush, type DeliverDeps, type PushJobData } from './deliver.js'

/**
 * The push queue replies go through (docs/delivery.md): each push is queued first, durable
 * and retried by the push worker, and then tried at once by this process, so a reply does
 * not wait for a worker to pick its job up. The sent-ledger makes the job's own run find it
 * sent. A first try that fails, or is postponed, is left to the job, and the pushes after it
 * too, so a long reply's chunks are not sent out of order.
 */
export class SendingPushQueue implements PushQueue {
  private readonly inflight = new Set<Promise<void>>()

  constructor(
    private readonly queue: PushQueue,
    private readonly deliver: DeliverDeps,
  ) {}

  async enqueuePushes(pushes: readonly PushJobData[]): Promise<void> {
    await this.queue.enqueuePushes(pushes)
    const run = this.tryNow(pushes)
    this.inflight.add(run)
    void run.finally(() => this.inflight.delete(run))
  }

  /** Resolves once every first try started so far has settled (tests, graceful shutdown). */
  async pending(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight])
  }

  // Never rejects: the queued job is the delivery; this is only its head start.
  private async tryNow(pushes: readonly PushJobData[]): Promise<void> {
    for (const push of pushes) {
      try {
        const outcome = await deliverPush(this.deliver, push)
        if (outcome.status === 'postponed') return
      } catch (err) {
        this.deliver.log.warn(
          { err, deliveryId: push.deliveryId },
          'reply push failed at once; the push worker retries it',
        )
        return
      }
    }
  }
}
