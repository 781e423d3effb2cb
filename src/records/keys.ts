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

  /**
   * STRING `pending:<userKey>` then `done:<userKey>`: the one sandbox user made administrator
   * because nothing was configured (SET NX, docs/first-minute.md). Never expires.
   */
  firstAdmin(): string {
    return `${this.base}first-admin`
  }

  /** STRING set once a push (reply or reminder) was delivered: the sent-ledger. */
  delivered(deliveryId: string): string {
    return `${this.base}delivered:${deliveryId}`
  }

  /** STRING msgId of the DingTalk callback that first used this `timestamp`/`sign` pair; expires. */
  dingtalkSignUse(timestamp: string, sign: string): string {
    return `${this.base}dtsign:${timestamp}:${sign}`
  }

  /** HASH village → JSON group binding (绑定群): where that village's campaign pushes go. */
  groupBindings(): string {
    return `${this.base}groups`
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

  // Records (people, visits, payments, activities). Every key below shares the {tenant} tag,
  // because one write script touches the record, its indexes and its counters together.
  // Names passed in (villages, categories, occasions) never contain ':' (schemas.ts forbids it).

  /** STRING counter: the next record number (`#123`), shared by every record kind. */
  recordSeq(): string {
    return `${this.base}rec:seq`
  }

  /** HASH record id → compact stored JSON (stored-record.ts), every kind, withdrawn ones too. */
  records(): string {
    return `${this.base}rec:all`
  }

  /** STREAM append-only audit log of every record and configuration write. */
  audit(): string {
    return `${this.base}audit`
  }

  /**
   * LIST of the ids of the records one author (`platform:userId`) created, newest last,
   * capped (record-writer.ts): what 撤销上一条 reads instead of walking the audit stream.
   */
  recordsBy(author: string): string {
    return `${this.base}rec:by:${author}`
  }

  /** HASH idempotency key → record id, for writes made in one 7-day generation; expires. */
  idempotency(generation: number): string {
    return `${this.base}idem:${generation}`
  }

  /** SET of village and community names (with their 村/社区 suffix). */
  villages(): string {
    return `${this.base}villages`
  }

  /** LIST of the same names in the township's order: the order they were added. */
  villageOrder(): string {
    return `${this.base}villages:order`
  }

  /** SET of the ids of the active people (优抚对象) of one village. */
  roster(village: string): string {
    return `${this.base}roster:${village}`
  }

  /**
   * SET of the ids of the people of one village removed from the roster (withdrawn), so a
   * closed campaign's due set can be rebuilt as the roster stood at its end (docs/figures.md).
   */
  removedPeople(village: string): string {
    return `${this.base}roster-removed:${village}`
  }

  /** SET of the ids of the active visits of one village whose need is still open (帮扶 待办). */
  openHelpCases(village: string): string {
    return `${this.base}help:open:${village}`
  }

  /** SET of the ids of active people with exactly this name (names are not unique). */
  peopleByName(name: string): string {
    return `${this.base}people:name:${name}`
  }

  /** HASH HMAC of a normalised ID number → id of the active person holding it. */
  peopleByIdNumber(): string {
    return `${this.base}people:idn`
  }

  /** SET of the ids of active people with this phone number (by its HMAC; families share one). */
  peopleByPhone(phoneMac: string): string {
    return `${this.base}people:phone:${phoneMac}`
  }

  /** HASH roster counters: people per village, category, village × category, and more. */
  rosterTally(): string {
    return `${this.base}tally:roster`
  }

  /** SET of every period that has records: `v|<year>|<occasion>`, `m|<year>`, `a|<year>`. */
  periods(): string {
    return `${this.base}periods`
  }

  /** LIST of the visit ids of one campaign, in write order (records are never deleted). */
  campaignVisits(year: number, occasion: string): string {
    return `${this.base}visits:${year}:${occasion}`
  }

  /** HASH counters of one campaign (visits, cash, goods, households per village). */
  campaignTally(year: number, occasion: string): string {
    return `${this.base}tally:visit:${year}:${occasion}`
  }

  /** HASH `<personId>.<categoryCode>` → active visits, one campaign and village (distinct households). */
  campaignVisited(year: number, occasion: string, village: string): string {
    return `${this.base}visited:${year}:${occasion}:${village}`
  }

  /**
   * HASH frozen due set of a campaign that has ended (docs/figures.md), written once by the
   * first read after its end: `vc|<village>|<category>` → people due, `p|<village>|<personId>`
   * → category code, `at` → the end instant. Roster changes after that never touch it.
   */
  campaignDue(year: number, occasion: string): string {
    return `${this.base}due:${year}:${occasion}`
  }

  /**
   * HASH frozen due set of a closed allowance year (docs/figures.md), as campaignDue's:
   * `vc|<village>|义务兵家庭` and `vh|<village>|<household type>` → families due,
   * `p|<village>|<personId>` → household type code (`-` for none).
   */
  allowanceDue(year: number): string {
    return `${this.base}due:${year}:优待金`
  }

  /**
   * HASH `<personId>|<date>` → active visits of one campaign (year × occasion) to that person
   * on that day: the guard that holds a same-day repeat for 「确认」. Units have theirs in the
   * same hash, `u|<unitName>|<date>` (TallyFields.unitVisitDay).
   */
  campaignVisitDays(year: number, occasion: string): string {
    return `${this.base}visitdays:${year}:${occasion}`
  }

  /**
   * SET of the ids of the active visits done on one local date (the visit's own `date`, not
   * the day it was logged), every village and the township's units: what a run of days
   * (`昨天走访了谁`, `上个月走访了几户`) reads (docs/figures.md, "Days").
   */
  visitsOnDate(date: string): string {
    return `${this.base}day:visits:${date}`
  }

  /** SET of the ids of the active allowance payments made on one local date (their `date`). */
  paymentsOnDate(date: string): string {
    return `${this.base}day:payments:${date}`
  }

  /**
   * STRING ISO instant set by the reconciler once a recount found (or made) the day sets above
   * equal to the records: until then records stored before the sets existed are missing from
   * them, and a run of days also reads what was logged in it (docs/figures.md, "Days").
   */
  dayIndexReady(): string {
    return `${this.base}day:ready`
  }

  /** HASH allowance configuration: `std|<year>` → standard JSON, `due|<year>` → deadline. */
  allowanceConfig(): string {
    return `${this.base}allowance:config`
  }

  /** LIST of the allowance payment ids of one year, in write order. */
  yearPayments(year: number): string {
    return `${this.base}payments:${year}`
  }

  /** HASH allowance counters of one year (families, payments, fen per village × household type). */
  allowanceTally(year: number): string {
    return `${this.base}tally:allowance:${year}`
  }

  /** HASH `<personId>.<householdTypeCode>` → active payments, one year and village (distinct families). */
  allowancePaid(year: number, village: string): string {
    return `${this.base}paid:${year}:${village}`
  }

  /** LIST of the activity ids of one year, in write order. */
  yearActivities(year: number): string {
    return `${this.base}activities:${year}`
  }

  /** HASH activity counters of one year (activities and people per kind and village). */
  activityTally(year: number): string {
    return `${this.base}tally:activity:${year}`
  }

  // Reminders: custom reminders (提醒), the campaign ledger and lease, and per-target send rates.

  /** STRING counter: the next custom reminder number (`提醒 #12`), apart from record numbers. */
  reminderSeq(): string {
    return `${this.base}remind:seq`
  }

  /** HASH reminder id → JSON reminder (reminder-store.ts), cancelled and done ones too. */
  reminders(): string {
    return `${this.base}remind:all`
  }

  /** SET of the ids of one owner's (`platform:userId`) pending reminders. */
  remindersOf(owner: string): string {
    return `${this.base}remind:owner:${owner}`
  }

  /** SET of the ids of every pending reminder (start-up reconciliation). */
  pendingReminders(): string {
    return `${this.base}remind:pending`
  }

  /** STRING idempotency key of a reminder write (the message id) → reminder id; expires. */
  reminderIdempotency(idempotencyKey: string): string {
    return `${this.base}remind:idem:${idempotencyKey}`
  }

  /** HASH campaign occurrence id (`campaign-bayi-2027-07-16`) → JSON of how its run ended. */
  campaignLedger(): string {
    return `${this.base}campaign:ledger`
  }

  /** STRING lease held by the one process that plans campaign jobs, with a TTL. */
  campaignLease(): string {
    return `${this.base}campaign:lease`
  }

  /** ZSET sliding log of sends to one target (job id → ms), for vendor per-minute limits. */
  sendRate(target: string): string {
    return `${this.base}rate:${target}`
  }
}
