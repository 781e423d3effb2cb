import { CADRE_AND_UP, messageKey, type Command, type CommandContext } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { findImpossibleDate } from '../parse/date.js'
import { foldText, typedSpan } from '../parse/normalize.js'
import { parseReminderTime, type ReminderTime } from '../parse/reminder-time.js'
import { REMINDER_TEXT_MAX, type Reminder, type ReminderStore } from '../records/reminder-store.js'
import { repeatLabel } from '../reminders/deliver.js'
import type { ReminderScheduler } from '../reminders/scheduler.js'
import {
  addDays,
  daysBetween,
  instantAt,
  localDateOf,
  weekdayName,
  weekdayOf,
  zonedParts,
} from '../time/local-date.js'

export interface RemindCommandDeps {
  reminders: ReminderStore
  scheduler: Pick<ReminderScheduler, 'scheduleReminder' | 'unscheduleReminder'>
  /** BOT_TIMEZONE: times are read and shown in it. */
  timezone: string
}

/** A one-off reminder goes at most this far ahead (the parser's limit for durations too). */
const MAX_AHEAD_MS = 366 * 24 * 3600 * 1000

// Two examples on a line of their own: four in the sentence ran to 170 columns (a tester).
const EXAMPLES = '\n如「提醒 明天上午9点 联系武警中队」\n或「提醒 每周一 9点 报送周报」'

/** 提醒, 我的提醒 and 取消提醒: custom reminders, stored first, then queued (style.md §2.2). */
export function createRemindCommands(deps: RemindCommandDeps): Command[] {
  return [createRemindCommand(deps), createMyRemindersCommand(deps), createCancelCommand(deps)]
}

function createRemindCommand(deps: RemindCommandDeps): Command {
  return {
    name: '提醒',
    audience: CADRE_AND_UP,
    summary: '到时提醒自己（或本群）一件事',
    example: '提醒 明天上午9点 联系武警中队',
    async run(ctx) {
      const { args, now, message, actor } = ctx
      if (args === '') {
        throw new UserFacingError(`请写明时间和内容，${EXAMPLES}。`)
      }
      // A date that does not exist is named, wherever it stands, rather than left in the text.
      const impossible = findImpossibleDate(args, {
        now,
        timezone: deps.timezone,
        direction: 'future',
      })
      if (impossible) {
        const example = impossible.suggestion ? `，如「提醒 ${impossible.suggestion} 9点 …」` : ''
        throw new UserFacingError(
          impossible.missingDay
            ? `「${impossible.text}」没写哪一天，未设提醒。请写上几号后重发${example}。`
            : `${impossible.text} 不存在（${impossible.reason}），未设提醒。请核对日期后重发${example}。`,
        )
      }
      const when = parseReminderTime(args, { now, timezone: deps.timezone })
      if (!when) {
        throw new UserFacingError(
          `没看懂提醒时间「${args}」，未设提醒。\n请把时间写在前面，${EXAMPLES}。`,
        )
      }
      if (when.rest === '') {
        throw new UserFacingError(`提醒什么事？请在时间后写上内容，${EXAMPLES}。`)
      }
      // The time is read from the folded text; the reminder says what was typed.
      const text = typedReminderText(ctx, when.rest) ?? when.rest
      if ([...text].length > REMINDER_TEXT_MAX) {
        throw new UserFacingError(`提醒内容太长（最多 ${REMINDER_TEXT_MAX} 字），请精简后再发。`)
      }

      let at: Date
      let schedule: Reminder['schedule']
      if (when.kind === 'once') {
        at = when.at
        if (at.getTime() <= now.getTime()) {
          throw new UserFacingError(
            `${formatInstant(at, deps.timezone)} 已经过去了，未设提醒。\n请换一个将来的时间，${EXAMPLES}。`,
          )
        }
        if (at.getTime() - now.getTime() > MAX_AHEAD_MS) {
          throw new UserFacingError(
            `${formatInstant(at, deps.timezone)} 超过一年，未设提醒。提醒最远设到一年内，如「提醒 7月25日 9:00 报送优待金名单」。`,
          )
        }
        schedule = { kind: 'once' }
      } else if (when.kind === 'weekly') {
        schedule = {
          kind: 'weekly',
          weekday: when.weekday,
          hour: when.hour,
          minute: when.minute,
          timezone: deps.timezone,
        }
        at = firstWeekly(schedule, now)
      } else {
        schedule = {
          kind: 'daily',
          hour: when.hour,
          minute: when.minute,
          timezone: deps.timezone,
        }
        at = firstDaily(schedule, now)
      }

      const { reminder } = await deps.reminders.create(
        {
          owner: actor.key,
          chat: message.chat,
          text,
          schedule,
          at: at.toISOString(),
          createdAt: now.toISOString(),
        },
        // A redelivered message (the platform retried, or ioredis resent) finds this reminder.
        messageKey(message),
      )
      // Record first, job second: a crash in between leaves a pending record that the worker
      // requeues at start; the reverse would leave a job pointing at nothing.
      await deps.scheduler.scheduleReminder(reminder)
      const where = message.chat.isGroup ? '（发到本群）' : ''
      return {
        text: `已设提醒 #${reminder.id}${where}：${sentence(describe(reminder, ctx.now, deps.timezone))}取消请回复「取消提醒 ${reminder.id}」${afternoonNote(when, at, deps.timezone)}`,
      }
    },
  }
}

function createMyRemindersCommand(deps: RemindCommandDeps): Command {
  return {
    name: '我的提醒',
    audience: CADRE_AND_UP,
    summary: '查看自己设的、还没发出的提醒',
    example: '我的提醒',
    async run(ctx) {
      const pending = await deps.reminders.pendingOf(ctx.actor.key)
      if (pending.length === 0) {
        return { text: `您没有待发的提醒。设提醒请回复「提醒 明天上午9点 联系武警中队」。` }
      }
      const lines = pending.map(
        (r) => `#${r.id} ${describe(r, ctx.now, deps.timezone)}${r.chat.isGroup ? '（群）' : ''}`,
      )
      return {
        text: [
          `您的提醒 ${pending.length} 条：`,
          ...lines,
          `取消请回复「取消提醒 编号」，如「取消提醒 ${pending[0]!.id}」。`,
        ].join('\n'),
      }
    },
  }
}

function createCancelCommand(deps: RemindCommandDeps): Command {
  return {
    name: '取消提醒',
    aliases: ['删除提醒'],
    audience: CADRE_AND_UP,
    summary: '取消自己设的提醒（管理员可取消任何人的）',
    example: '取消提醒 3',
    async run(ctx) {
      // `取消提醒 4 5`, `取消提醒 #4、#5`: each cancelled in turn, each answered on its line.
      const numbers = SEVERAL_NUMBERS.test(ctx.args)
        ? [...ctx.args.matchAll(/\d{1,9}/g)].map((m) => Number(m[0]))
        : []
      if (numbers.length === 0) {
        throw new UserFacingError(
          '请写明提醒编号，如「取消提醒 3」，\n几条一起如「取消提醒 3 4」。\n回复「我的提醒」查看编号。',
        )
      }
      if (numbers.length > 20) throw new UserFacingError('一次最多取消 20 条提醒。')
      const lines: string[] = []
      for (const id of [...new Set(numbers)]) {
        try {
          lines.push(await cancelOne(deps, ctx, id))
        } catch (err) {
          if (!(err instanceof UserFacingError)) throw err
          lines.push(err.replyText)
        }
      }
      return { text: lines.join('\n') }
    },
  }
}

/** The numbers 取消提醒 takes: `3`, `#3`, `3 4`, `#3、#4`, `3,4`. */
const SEVERAL_NUMBERS = /^(?:#?\s*\d{1,9}(?:\s*[,，、\s]\s*|$))+$/

/** Cancels reminder `id` for the sender: what to say, or a UserFacingError saying why not. */
async function cancelOne(
  deps: RemindCommandDeps,
  ctx: Parameters<Command['run']>[0],
  id: number,
): Promise<string> {
  const reminder = await deps.reminders.get(id)
  if (!reminder || reminder.status === 'done') {
    throw new UserFacingError(`没有待发的提醒 #${id}。回复「我的提醒」查看编号。`)
  }
  if (reminder.owner !== ctx.actor.key && ctx.actor.role !== 'admin') {
    throw new UserFacingError(`提醒 #${id} 不是您设的，只能取消自己的提醒。回复「我的提醒」查看。`)
  }
  const result = await deps.reminders.cancel(id, ctx.actor.key, ctx.now)
  if (result.outcome === 'not-found' || result.reminder.status === 'done') {
    throw new UserFacingError(`提醒 #${id} 已经发出，无需取消。`)
  }
  if (result.outcome === 'cancelled') {
    // Best effort: a job that still runs reloads the record and finds it cancelled.
    await deps.scheduler.unscheduleReminder(result.reminder).catch((err: unknown) => {
      ctx.log.warn({ err, reminder: id }, 'cancelled reminder job not removed')
    })
  }
  return `已取消提醒 #${id}：${sentence(describe(result.reminder, ctx.now, deps.timezone))}`
}

/** When a bare `3点` was read as 15:00, one line saying so and how to get 03:00 instead. */
function afternoonNote(when: ReminderTime, at: Date, timezone: string): string {
  if (!when.afternoonAssumed) return ''
  const hour = (when.kind === 'once' ? zonedParts(at, timezone).hour : when.hour) - 12
  return `\n${hour}点按下午算；若要凌晨，请取消后写「凌晨${hour}点」。`
}

/**
 * `2026-11-29 09:00（明天 周日）联系武警中队`, or `每周一 09:00 交周报，下次 …` for a repeating
 * one, shown in the zone a repeating reminder recorded, else `timezone` (BOT_TIMEZONE).
 */
function describe(reminder: Reminder, now: Date, timezone: string): string {
  const at = new Date(reminder.at)
  if (reminder.schedule.kind !== 'once') {
    const zone = reminder.schedule.timezone
    return `${repeatLabel(reminder.schedule)} ${reminder.text}，下次 ${formatWithDay(at, now, zone)}`
  }
  return `${formatWithDay(at, now, timezone)}${reminder.text}`
}

/** `2026-11-29 09:00（明天 周日）`. */
function formatWithDay(at: Date, now: Date, timezone: string): string {
  const date = localDateOf(at, timezone)
  const days = daysBetween(localDateOf(now, timezone), date)
  const relative = days === 0 ? '今天' : days === 1 ? '明天' : days === 2 ? '后天' : `${days}天后`
  return `${formatInstant(at, timezone)}（${relative} ${weekdayName(date)}）`
}

/** `text` ended with 。, unless a typed text already ends its sentence (「交表！」). */
function sentence(text: string): string {
  return /[。.!?！？…~～]$/.test(text) ? text : `${text}。`
}

/** `2026-11-29 09:00` in `timezone`. */
function formatInstant(at: Date, timezone: string): string {
  const p = zonedParts(at, timezone)
  const hh = String(p.hour).padStart(2, '0')
  const mm = String(p.minute).padStart(2, '0')
  return `${localDateOf(at, timezone)} ${hh}:${mm}`
}

/** The first time a weekly schedule fires after `now`. */
function firstWeekly(
  schedule: { weekday: number; hour: number; minute: number; timezone: string },
  now: Date,
): Date {
  const today = localDateOf(now, schedule.timezone)
  for (let i = 0; i <= 7; i++) {
    const day = addDays(today, i)
    if (weekdayOf(day) !== schedule.weekday) continue
    const at = instantAt(day, schedule.hour, schedule.minute, schedule.timezone)
    if (at.getTime() > now.getTime()) return at
  }
  return instantAt(addDays(today, 7), schedule.hour, schedule.minute, schedule.timezone)
}

/** The first time a daily schedule fires after `now`: today if its time is still ahead. */
function firstDaily(schedule: { hour: number; minute: number; timezone: string }, now: Date): Date {
  const today = localDateOf(now, schedule.timezone)
  const at = instantAt(today, schedule.hour, schedule.minute, schedule.timezone)
  if (at.getTime() > now.getTime()) return at
  return instantAt(addDays(today, 1), schedule.hour, schedule.minute, schedule.timezone)
}

// What reminder-time.ts's cleanRest strips from the ends of a reminder's text (as folded).
const LEADING_MARKS = /^[\s,:、。]*/
const TRAILING_MARKS = /[\s,:、。]*$/

/**
 * Where in `args` the reminder's text `rest` (parseReminderTime: the words before the time and
 * after it, joined by a space, its spaces and end marks cleaned) was read from: the one span or
 * the two. `flat` is `args` with each blank a space (the same offsets). Undefined when `rest` is
 * not read so (a leading 我, a blank line).
 */
function restSpans(rest: string, args: string): [number, number][] | undefined {
  const flat = args.replace(/\s/g, ' ')
  const start = LEADING_MARKS.exec(flat)![0].length
  const end = Math.max(start, flat.length - TRAILING_MARKS.exec(flat)![0].length)
  const body = flat.slice(start, end)
  // The time first (the usual order), then the time last.
  if (body.endsWith(rest)) return [[end - rest.length, end]]
  if (body.startsWith(rest)) return [[start, start + rest.length]]
  for (let k = rest.indexOf(' '); k >= 0; k = rest.indexOf(' ', k + 1)) {
    const before = rest.slice(0, k)
    const after = rest.slice(k + 1)
    if (
      body.startsWith(before) &&
      body.endsWith(after) &&
      before.length + after.length < body.length
    )
      return [
        [start, start + before.length],
        [end - after.length, end],
      ]
  }
  return undefined
}

/**
 * A reminder's text as the sender typed it (full-width punctuation and script kept, its lines
 * joined by a space), for the folded `rest` the time was read around; undefined when it cannot
 * be found (docs/lookups.md, "Free text is stored as typed").
 */
function typedReminderText(
  ctx: Pick<CommandContext, 'typedText' | 'message' | 'args'>,
  rest: string,
): string | undefined {
  const { typedText, args } = ctx
  const folded = ctx.message.text
  if (typedText === undefined || !folded.endsWith(args)) return undefined
  const spans = restSpans(rest, args)
  if (!spans) return undefined
  const offset = folded.length - args.length
  const parts: string[] = []
  for (const [from, to] of spans) {
    const part = typedSpan(typedText, folded, offset + from, offset + to)
    if (part === undefined) return undefined
    parts.push(part.replace(/\s*\n\s*/g, ' '))
  }
  const text = parts.join(' ')
  return foldText(text).replace(/\s+/g, ' ') === rest ? text : undefined
}
