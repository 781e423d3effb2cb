import chineseDays from 'chinese-days'
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' }
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  campaignReminderDates,
  campaignWindow,
  chuxi,
  createWorkCalendar,
  nextCampaigns,
  occasionDay,
  OCCASIONS,
  reminderInstant,
  statutoryHolidays,
  type HolidayData,
  type Occasion,
  type WorkCalendar,
} from '../../src/reminders/calendar.js'
import {
  HOLIDAY_OVERRIDES,
  parseHolidayOverrides,
  type HolidayOverride,
} from '../../src/reminders/holiday-overrides.js'
import { addDays, weekdayOf, type LocalDate } from '../../src/time/local-date.js'

// No clock anywhere: every "today" is passed in.

// The published calendar as it stood when its last notice was 2026's (chinese-days 1.5.7,
// checked day for day below). Anything about 2027 onwards runs on it, so the expectations
// pin the statutory fallback and do not move when a newer chinese-days or an override
// brings a later notice.
const NOTICE_2026: Record<string, { off: [LocalDate, LocalDate]; work: LocalDate[] }> = {
  元旦: { off: ['2026-01-01', '2026-01-03'], work: ['2026-01-04'] },
  春节: { off: ['2026-02-15', '2026-02-23'], work: ['2026-02-14', '2026-02-28'] },
  清明: { off: ['2026-04-04', '2026-04-06'], work: [] },
  劳动节: { off: ['2026-05-01', '2026-05-05'], work: ['2026-05-09'] },
  端午: { off: ['2026-06-19', '2026-06-21'], work: [] },
  中秋: { off: ['2026-09-25', '2026-09-27'], work: [] },
  国庆节: { off: ['2026-10-01', '2026-10-07'], work: ['2026-09-20', '2026-10-10'] },
}
const DATA_ENDING_2026 = holidayDataOf(NOTICE_2026)

function holidayDataOf(notice: typeof NOTICE_2026): HolidayData {
  const holidays: Record<string, string> = {}
  const workdays: Record<string, string> = {}
  for (const [name, { off, work }] of Object.entries(notice)) {
    for (let day = off[0]; day <= off[1]; day = addDays(day, 1)) holidays[day] = name
    for (const day of work) workdays[day] = name
  }
  return { holidays, workdays }
}

function calendarEndingIn2026(onMissingYear?: (year: number) => void): WorkCalendar {
  return createWorkCalendar({ overrides: [], libraryData: DATA_ENDING_2026, onMissingYear })
}

/** The years chinese-days' installed data file has any day of. */
function libraryDataYears(): number[] {
  const years = new Set(Object.keys(chineseDaysData.holidays).map((d) => Number(d.slice(0, 4))))
  return [...years].sort((a, b) => a - b)
}

function isWeekday(date: LocalDate): boolean {
  const weekday = weekdayOf(date)
  return weekday !== 0 && weekday !== 6
}

const NOTICE_2027: HolidayOverride = {
  year: 2027,
  source: '国务院办公厅关于2027年部分节假日安排的通知（test fixture, not the real notice）',
  holidays: ['2027-07-29', '2027-07-30'],
  workdays: ['2027-07-31'],
}

describe('occasion days', () => {
  it.each([
    [2025, '2025-01-29', '2025-01-28'],
    [2026, '2026-02-17', '2026-02-16'],
    [2027, '2027-02-06', '2027-02-05'],
    [2028, '2028-01-26', '2028-01-25'],
    [2029, '2029-02-13', '2029-02-12'],
    [2030, '2030-02-03', '2030-02-02'],
  ])('春节 %i is %s and 除夕 %s', (year, springFestival, eve) => {
    expect(occasionDay('春节', year)).toBe(springFestival)
    expect(chuxi(year)).toBe(eve)
  })

  it('八一 and 元旦 are fixed Gregorian days', () => {
    expect(occasionDay('八一', 2027)).toBe('2027-08-01')
    expect(occasionDay('元旦', 2028)).toBe('2028-01-01')
  })

  it('优待金截止 when no deadline is configured is July 31', () => {
    expect(occasionDay('优待金截止', 2027)).toBe('2027-07-31')
    expect(occasionDay('优待金截止', 2027, new Map([[2026, '2026-07-20']]))).toBe('2027-07-31')
  })

  it('优待金截止 when configured as a Map or a record is the configured day', () => {
    expect(occasionDay('优待金截止', 2027, new Map([[2027, '2027-07-25']]))).toBe('2027-07-25')
    expect(occasionDay('优待金截止', 2027, { 2027: '2027-07-20' })).toBe('2027-07-20')
  })

  it('优待金截止 when configured with a non-date throws', () => {
    expect(() => occasionDay('优待金截止', 2027, { 2027: '2027-02-30' })).toThrow(/优待金截止/)
  })
})

describe('working days from chinese-days', () => {
  const calendar = createWorkCalendar({ overrides: [] })

  it('2026 春节: 02-15 to 02-23 are off, Saturdays 02-14 and 02-28 are make-up working days', () => {
    for (let day = '2026-02-15'; day <= '2026-02-23'; day = addDays(day, 1)) {
      expect(calendar.isWorkingDay(day), day).toBe(false)
    }
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true)
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true)
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true)
  })

  it('2026 国庆: 10-01 to 10-07 are off, Sunday 09-20 and Saturday 10-10 are working days', () => {
    for (let day = '2026-10-01'; day <= '2026-10-07'; day = addDays(day, 1)) {
      expect(calendar.isWorkingDay(day), day).toBe(false)
    }
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true)
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true)
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false)
  })

  it('previousWorkingDay of a day inside the 2026 春节 holiday is the Saturday before it', () => {
    expect(calendar.previousWorkingDay('2026-02-16')).toBe('2026-02-14')
    expect(calendar.previousWorkingDay('2026-02-14')).toBe('2026-02-14')
  })

  it('covers exactly the years present in its data file (2004 through at least 2026)', () => {
    const dataYears = libraryDataYears()
    const lastDataYear = dataYears.at(-1) ?? 0

    const covered = []
    for (let year = 2000; year <= lastDataYear + 5; year++) {
      if (calendar.hasOfficialData(year)) covered.push(year)
    }

    expect(covered).toEqual(dataYears)
    expect(covered[0]).toBe(2004)
    expect(lastDataYear).toBeGreaterThanOrEqual(2026)
  })

  it("the fixture ending in 2026 is its 2026 day for day, up to the next notice's reach", () => {
    const fixture = calendarEndingIn2026()
    const disagreements: string[] = []

    // The 2027 notice may give late-December days to 元旦 2027; the fixture has no such notice.
    for (let day = '2026-01-01'; day <= '2026-11-30'; day = addDays(day, 1)) {
      if (fixture.isWorkingDay(day) !== calendar.isWorkingDay(day)) disagreements.push(day)
    }

    expect(disagreements).toEqual([])
    expect(fixture.hasOfficialData(2026)).toBe(true)
  })

  // chinese-days builds its own tables wrong west of UTC, so compare only where they hold.
  const westOfUtcAtLoad = new Date(2026, 0, 1).getTimezoneOffset() > 0
  it.skipIf(westOfUtcAtLoad)(
    'agrees day by day with chinese-days getDayDetail in 2025–2026',
    () => {
      const disagreements: string[] = []

      for (let day = '2025-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
        const [y, m, d] = day.split('-').map(Number) as [number, number, number]
        if (calendar.isWorkingDay(day) !== chineseDays.getDayDetail(new Date(y, m - 1, d)).work) {
          disagreements.push(day)
        }
      }

      expect(disagreements).toEqual([])
    },
  )

  it('chinese-days when it has no notice for a year silently answers plain weekdays', () => {
    // Why coverage is probed: the year after its data has statutory days off on weekdays.
    const year = (libraryDataYears().at(-1) ?? 0) + 1
    const weekdaysOff = statutoryHolidays(year).filter(isWeekday)

    const answers = weekdaysOff.map((day) => {
      const [y, m, d] = day.split('-').map(Number) as [number, number, number]
      return chineseDays.getDayDetail(new Date(y, m - 1, d)).work
    })

    expect(weekdaysOff).not.toEqual([])
    expect(answers.every((work) => work)).toBe(true)
  })

  describe('in a time zone west of UTC', () => {
    const original = process.env.TZ
    afterEach(() => {
      // Assigning undefined would store the string 'undefined'.
      if (original === undefined) delete process.env.TZ
      else process.env.TZ = original
    })

    it("answers for the asked day (chinese-days' own functions are a day early there)", () => {
      process.env.TZ = 'America/New_York'

      const westCalendar = createWorkCalendar({ overrides: [] })

      expect(westCalendar.isWorkingDay('2026-10-01')).toBe(false)
      expect(westCalendar.isWorkingDay('2026-09-30')).toBe(true)
      expect(westCalendar.isWorkingDay('2026-10-10')).toBe(true)
    })
  })
})

describe('statutory days off (fallback)', () => {
  it.each([2025, 2026])('every statutory day of %i is a holiday in chinese-days', (year) => {
    const calendar = createWorkCalendar({ overrides: [] })

    const days = statutoryHolidays(year)

    expect(days).toHaveLength(13)
    expect(days.filter((d) => calendar.isWorkingDay(d))).toEqual([])
  })

  it('2027 are 元旦, 除夕 to 初三, 清明, 05-01/02, 端午, 中秋 and 10-01/02/03', () => {
    expect(statutoryHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ])
  })

  it.each([
    [2028, '2028-04-04'],
    [2029, '2029-04-04'],
    [2030, '2030-04-05'],
  ])('清明 %i is %s', (year, qingming) => {
    expect(statutoryHolidays(year)).toContain(qingming)
  })

  it('before 2025 除夕 and 05-02 are not statutory days off (2013 revision)', () => {
    const days = statutoryHolidays(2024)

    expect(days).toHaveLength(11)
    expect(days).not.toContain(chuxi(2024))
    expect(days).not.toContain('2024-05-02')
  })
})

describe('a year without official data', () => {
  it('falls back to statutory days off and weekends, and calls onMissingYear once', () => {
    const onMissingYear = vi.fn()
    const calendar = calendarEndingIn2026(onMissingYear)

    const answers = {
      chuxi: calendar.isWorkingDay('2027-02-05'),
      chusan: calendar.isWorkingDay('2027-02-08'),
      afterChusan: calendar.isWorkingDay('2027-02-09'),
      saturday: calendar.isWorkingDay('2027-07-17'),
      tuesday: calendar.isWorkingDay('2027-07-20'),
      october4: calendar.isWorkingDay('2027-10-04'),
      back: calendar.previousWorkingDay('2027-02-08'),
    }

    expect(answers).toEqual({
      chuxi: false,
      chusan: false,
      afterChusan: true,
      saturday: false,
      tuesday: true,
      october4: true,
      back: '2027-02-04',
    })
    expect(onMissingYear).toHaveBeenCalledTimes(1)
    expect(onMissingYear).toHaveBeenCalledWith(2027)
    expect(calendar.hasOfficialData(2027)).toBe(false)
  })

  it('calls onMissingYear once for each missing year, never for covered ones', () => {
    const onMissingYear = vi.fn()
    const calendar = calendarEndingIn2026(onMissingYear)

    calendar.isWorkingDay('2026-07-01')
    calendar.isWorkingDay('2028-07-01')
    calendar.isWorkingDay('2027-07-01')
    calendar.isWorkingDay('2028-08-01')

    expect(onMissingYear.mock.calls).toEqual([[2028], [2027]])
  })

  it('is not made official by a December day of the next 元旦, only by its own 春节', () => {
    const calendar = createWorkCalendar({
      overrides: [],
      libraryData: { holidays: { '2027-12-31': '元旦' }, workdays: {} },
    })

    expect(calendar.hasOfficialData(2027)).toBe(false)
  })
})

describe('a year the library data gains', () => {
  // A synthetic notice: what upgrading chinese-days to a release with 2027 looks like.
  const WITH_2027: HolidayData = {
    holidays: { ...DATA_ENDING_2026.holidays, '2027-02-06': '春节', '2027-10-04': '国庆节' },
    workdays: { ...DATA_ENDING_2026.workdays, '2027-02-20': '春节' },
  }

  it('follows the data, not the statutory rule, and calls onMissingYear for no year', () => {
    const onMissingYear = vi.fn()
    const calendar = createWorkCalendar({ overrides: [], libraryData: WITH_2027, onMissingYear })

    expect(calendar.hasOfficialData(2027)).toBe(true)
    expect(calendar.isWorkingDay('2027-10-04')).toBe(false)
    expect(calendar.isWorkingDay('2027-02-20')).toBe(true)
    // 初三 is a statutory day off, but the notice is the authority once there is one.
    expect(calendar.isWorkingDay('2027-02-08')).toBe(true)
    expect(onMissingYear).not.toHaveBeenCalled()
  })
})

describe('holiday overrides', () => {
  it('the checked-in table is valid', () => {
    expect(parseHolidayOverrides(HOLIDAY_OVERRIDES)).toEqual(HOLIDAY_OVERRIDES)
  })

  it('an override entry when injected takes precedence and its year counts as official', () => {
    const onMissingYear = vi.fn()
    const calendar = createWorkCalendar({ overrides: [NOTICE_2027], onMissingYear })

    expect(calendar.isWorkingDay('2027-07-29')).toBe(false)
    expect(calendar.isWorkingDay('2027-07-31')).toBe(true)
    expect(calendar.isWorkingDay('2027-08-01')).toBe(false)
    expect(calendar.isWorkingDay('2027-02-05')).toBe(true)
    expect(calendar.hasOfficialData(2027)).toBe(true)
    expect(onMissingYear).not.toHaveBeenCalled()
  })

  it('an override entry for a year chinese-days covers replaces the library for that year', () => {
    const calendar = createWorkCalendar({
      overrides: [
        { year: 2026, source: '国务院办公厅 fixture', holidays: ['2026-07-29'], workdays: [] },
      ],
    })

    expect(calendar.isWorkingDay('2026-07-29')).toBe(false)
    expect(calendar.isWorkingDay('2026-10-01')).toBe(true)
  })

  it('moves reminders when injected', () => {
    const calendar = createWorkCalendar({ overrides: [NOTICE_2027] })

    expect(campaignReminderDates('八一', 2027, calendar).map((r) => r.sendOn)).toEqual([
      '2027-07-16',
      '2027-07-23',
      '2027-07-28',
      '2027-07-31',
    ])
  })

  it('rejects an entry without a 国务院办公厅 source, a weekday make-up day or a repeated year', () => {
    const bad = [
      { year: 2027, source: 'a blog post', holidays: [], workdays: [] },
      { year: 2028, source: '国务院办公厅', holidays: ['2028-13-01'], workdays: ['2028-01-05'] },
      { year: 2028, source: '国务院办公厅', holidays: [], workdays: [] },
    ]

    const message = (() => {
      try {
        parseHolidayOverrides(bad)
        return ''
      } catch (error) {
        return (error as Error).message
      }
    })()

    expect(message).toMatch(/\[0\.source\] must cite the 国务院办公厅 notice/)
    expect(message).toMatch(/\[1\.holidays\.0\] must be a real date/)
    expect(message).toMatch(/\[1\.workdays\.0\] 2028-01-05 is a weekday/)
    expect(message).toMatch(/\[2\.year\] 2028 appears twice/)
  })
})

describe('campaign reminders', () => {
  const published = createWorkCalendar({ overrides: [] })
  const fallback = calendarEndingIn2026()

  it('八一 2027 without its notice is sent 07-16, 07-23, 07-29, 07-30 (07-31 a Saturday)', () => {
    expect(campaignReminderDates('八一', 2027, fallback)).toEqual([
      { offset: 14, nominal: '2027-07-18', sendOn: '2027-07-16' },
      { offset: 7, nominal: '2027-07-25', sendOn: '2027-07-23' },
      { offset: 3, nominal: '2027-07-29', sendOn: '2027-07-29' },
      { offset: 1, nominal: '2027-07-31', sendOn: '2027-07-30' },
    ])
  })

  it('春节 2026 when 1 day before is in the holiday keeps one reminder (offset 3) on 02-14', () => {
    expect(campaignReminderDates('春节', 2026, published)).toEqual([
      { offset: 14, nominal: '2026-02-03', sendOn: '2026-02-03' },
      { offset: 7, nominal: '2026-02-10', sendOn: '2026-02-10' },
      { offset: 3, nominal: '2026-02-14', sendOn: '2026-02-14' },
    ])
  })

  it('春节 2025 when 3 days before is a make-up Sunday is sent that Sunday', () => {
    expect(campaignReminderDates('春节', 2025, published).slice(2)).toEqual([
      { offset: 3, nominal: '2025-01-26', sendOn: '2025-01-26' },
      { offset: 1, nominal: '2025-01-28', sendOn: '2025-01-27' },
    ])
  })

  it('a configured deadline moves the 优待金截止 reminders', () => {
    const deadlines = new Map([[2027, '2027-07-20']])

    expect(
      campaignReminderDates('优待金截止', 2027, fallback, deadlines).map((r) => r.sendOn),
    ).toEqual(['2027-07-06', '2027-07-13', '2027-07-16', '2027-07-19'])
  })

  // Send days ("offset:date"). 2025–2026 come from chinese-days' published notices; 2027–2030
  // from the statutory fallback and weekends of the fixture ending in 2026, which no later
  // notice changes.
  const calendarFor = (year: number): WorkCalendar => (year <= 2026 ? published : fallback)
  const PINNED: Record<Occasion, Record<number, string>> = {
    八一: {
      2025: '14:2025-07-18 7:2025-07-25 3:2025-07-29 1:2025-07-31',
      2026: '14:2026-07-17 7:2026-07-24 3:2026-07-29 1:2026-07-31',
      2027: '14:2027-07-16 7:2027-07-23 3:2027-07-29 1:2027-07-30',
      2028: '14:2028-07-18 7:2028-07-25 3:2028-07-28 1:2028-07-31',
      2029: '14:2029-07-18 7:2029-07-25 3:2029-07-27 1:2029-07-31',
      2030: '14:2030-07-18 7:2030-07-25 3:2030-07-29 1:2030-07-31',
    },
    春节: {
      2025: '14:2025-01-15 7:2025-01-22 3:2025-01-26 1:2025-01-27',
      2026: '14:2026-02-03 7:2026-02-10 3:2026-02-14',
      2027: '14:2027-01-22 7:2027-01-29 3:2027-02-03 1:2027-02-04',
      2028: '14:2028-01-12 7:2028-01-19 3:2028-01-21 1:2028-01-24',
      2029: '14:2029-01-30 7:2029-02-06 3:2029-02-09',
      2030: '14:2030-01-18 7:2030-01-25 3:2030-01-31 1:2030-02-01',
    },
    元旦: {
      2025: '14:2024-12-18 7:2024-12-25 3:2024-12-27 1:2024-12-31',
      2026: '14:2025-12-18 7:2025-12-25 3:2025-12-29 1:2025-12-31',
      2027: '14:2026-12-18 7:2026-12-25 3:2026-12-29 1:2026-12-31',
      2028: '14:2027-12-17 7:2027-12-24 3:2027-12-29 1:2027-12-31',
      2029: '14:2028-12-18 7:2028-12-25 3:2028-12-29',
      2030: '14:2029-12-18 7:2029-12-25 3:2029-12-28 1:2029-12-31',
    },
    优待金截止: {
      2025: '14:2025-07-17 7:2025-07-24 3:2025-07-28 1:2025-07-30',
      2026: '14:2026-07-17 7:2026-07-24 3:2026-07-28 1:2026-07-30',
      2027: '14:2027-07-16 7:2027-07-23 3:2027-07-28 1:2027-07-30',
      2028: '14:2028-07-17 7:2028-07-24 3:2028-07-28',
      2029: '14:2029-07-17 7:2029-07-24 3:2029-07-27 1:2029-07-30',
      2030: '14:2030-07-17 7:2030-07-24 3:2030-07-26 1:2030-07-30',
    },
  }
  const rows = OCCASIONS.flatMap((occasion) =>
    Object.entries(PINNED[occasion]).map(
      ([year, expected]) => [occasion, Number(year), expected] as const,
    ),
  )

  it.each(rows)('%s %i is sent on %s', (occasion, year, expected) => {
    const reminders = campaignReminderDates(occasion, year, calendarFor(year))

    expect(reminders.map((r) => `${r.offset}:${r.sendOn}`).join(' ')).toBe(expected)
  })

  it.each(rows)('%s %i lands on working days, never after the nominal day', (occasion, year) => {
    const calendar = calendarFor(year)
    for (const r of campaignReminderDates(occasion, year, calendar)) {
      expect(calendar.isWorkingDay(r.sendOn), r.sendOn).toBe(true)
      expect(r.sendOn <= r.nominal).toBe(true)
    }
  })

  it('is sent at 09:00 in Asia/Shanghai', () => {
    expect(reminderInstant('2027-07-16', 'Asia/Shanghai').toISOString()).toBe(
      '2027-07-16T01:00:00.000Z',
    )
  })
})

describe('campaign windows', () => {
  it('八一 2027 runs from 07-18 through 08-01', () => {
    expect(campaignWindow('八一', 2027)).toEqual({ start: '2027-07-18', end: '2027-08-01' })
  })
})

describe('next campaigns (提醒计划)', () => {
  it('on 2026-11-28 are 元旦 2027, 春节 2027-02-06, 优待金截止 and 八一 2027', () => {
    const onMissingYear = vi.fn()
    const calendar = calendarEndingIn2026(onMissingYear)

    const upcoming = nextCampaigns('2026-11-28', calendar)

    expect(upcoming.map((c) => [c.occasion, c.year, c.day])).toEqual([
      ['元旦', 2027, '2027-01-01'],
      ['春节', 2027, '2027-02-06'],
      ['优待金截止', 2027, '2027-07-31'],
      ['八一', 2027, '2027-08-01'],
    ])
    expect(upcoming.find((c) => c.occasion === '八一')?.reminders.map((r) => r.sendOn)).toEqual([
      '2027-07-16',
      '2027-07-23',
      '2027-07-29',
      '2027-07-30',
    ])
    expect(onMissingYear.mock.calls).toEqual([[2027]])
  })

  it('on the day itself still lists that campaign, and the day after the next one', () => {
    const calendar = calendarEndingIn2026()

    const onTheDay = nextCampaigns('2027-08-01', calendar).find((c) => c.occasion === '八一')
    const dayAfter = nextCampaigns('2027-08-02', calendar).find((c) => c.occasion === '八一')

    expect(onTheDay?.year).toBe(2027)
    expect(dayAfter?.year).toBe(2028)
  })
})
