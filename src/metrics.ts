import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * The bot's Prometheus metrics (prom-client), one registry per process so tests can
 * create several apps without "metric already registered" clashes.
 */
export class Metrics {
  readonly registry = new Registry()

  readonly httpRequests = new Counter({
    name: 'bot_http_requests_total',
    help: 'HTTP requests by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  })

  readonly handlingSeconds = new Histogram({
    name: 'bot_message_handling_seconds',
    help: 'Time from a verified message to its reply, by platform',
    labelNames: ['platform'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  })

  readonly dedupeHits = new Counter({
    name: 'bot_dedupe_hits_total',
    help: 'Redelivered platform messages dropped, by platform',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  })

  // In Stream mode nothing arrives while the socket is down, and /readyz cannot tell: alert
  // on this staying 0.
  readonly streamConnected = new Gauge({
    name: 'bot_dingtalk_stream_connected',
    help: '1 while the DingTalk Stream socket is open (DINGTALK_MODE=stream), else 0',
    registers: [this.registry],
  })

  readonly streamReconnects = new Counter({
    name: 'bot_dingtalk_stream_reconnects_total',
    help: 'DingTalk Stream connections lost or refused and dialled again',
    registers: [this.registry],
  })

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry })
  }
}
