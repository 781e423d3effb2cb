import type { Category, HouseholdType, Person } from '../records/schemas.js'

/**
 * The demo township of the first minute (docs/first-minute.md): domain.md's realistic township
 * of 8 villages and 1 community with 77 entitled persons, 11 of them conscript families. The
 * names are the ones the help examples and conversations.md use (张三, 李四, two 张伟, …),
 * so every example answers something. Invented people; phones are 138 0000 test numbers.
 */

/** In the township's own order: the order they are registered in. */
export const DEMO_VILLAGES = [
  '铁炉嘴村',
  '童家坝村',
  '石门村',
  '柳树湾村',
  '青龙村',
  '白岩村',
  '龙潭村',
  '桃园村',
  '新街社区',
] as const

/** A sandbox user of the demo; `villages` empty for the leader, who sees all. */
export interface DemoUser {
  /** The sandbox user id (`sandbox:<id>`), typed in the page's 用户 box. */
  id: string
  role: 'leader' | 'cadre'
  villages: readonly string[]
  /** Who they are, as the page's user list shows them. */
  title: string
}

export const DEMO_LEADER: DemoUser = {
  id: '王书记',
  role: 'leader',
  villages: [],
  title: '镇领导',
}

export const DEMO_CADRES: readonly DemoUser[] = [
  { id: '刘干事', role: 'cadre', villages: ['铁炉嘴村', '童家坝村'], title: '村干部' },
  { id: '陈主任', role: 'cadre', villages: ['石门村', '柳树湾村'], title: '村干部' },
  { id: '赵专干', role: 'cadre', villages: ['青龙村', '白岩村'], title: '村干部' },
  { id: '孙委员', role: 'cadre', villages: ['龙潭村', '桃园村', '新街社区'], title: '社区干部' },
]

/** Leader last: the loader writes the leader's role after everything else (its completion mark). */
export const DEMO_USERS: readonly DemoUser[] = [...DEMO_CADRES, DEMO_LEADER]

/** One entitled person of the demo; what the 八一 campaign did for them is said beside. */
export interface DemoPerson {
  name: string
  village: (typeof DEMO_VILLAGES)[number]
  category: Category
  disability?: Person['disability']
  householdType?: HouseholdType
  phone?: string
  /** Not visited in the latest 八一 campaign, so 未走访 has names to list. */
  unvisited?: true
  /** A need found on the 八一 visit, open as a help case (待办). */
  need?: string
  /** A conscript family not yet paid this year, so 未发放 has names to list. */
  unpaid?: true
  /**
   * A conscript family's soldier, for the 优待金发放表's 义务兵姓名 and 入伍时间: enlisted in the
   * autumn call-up this many years before the demo's year (service is two years).
   */
  soldier?: { name: string; enlistedYearsBack: 1 | 2 }
}

const rural = { category: '义务兵家庭', householdType: '农村' } as const
const urban = { category: '义务兵家庭', householdType: '城镇' } as const
const grade = (g: NonNullable<Person['disability']>['grade']) => ({ grade: g })

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  // 铁炉嘴村: 12
  {
    name: '张三',
    village: '铁炉嘴村',
    category: '残疾军人',
    disability: { legacyLabel: '二等乙级' },
    phone: '13800000001',
  },
  { name: '王建国', village: '铁炉嘴村', category: '在乡复员军人', phone: '13800000002' },
  { name: '刘桂兰', village: '铁炉嘴村', category: '烈士遗属' },
  { name: '杨强国', village: '铁炉嘴村', category: '带病回乡退伍军人', need: '房屋漏雨需修缮' },
  { name: '王五', village: '铁炉嘴村', category: '在乡复员军人', unvisited: true },
  { name: '赵六', village: '铁炉嘴村', category: '烈士遗属' },
  { name: '钱七', village: '铁炉嘴村', category: '残疾军人', disability: grade('五级') },
  { name: '孙德明', village: '铁炉嘴村', category: '参战参试退役人员' },
  { name: '张伟', village: '铁炉嘴村', category: '烈士遗属' },
  { name: '杨英明', village: '铁炉嘴村', category: '参战参试退役人员' },
  {
    name: '周永强',
    village: '铁炉嘴村',
    ...rural,
    phone: '13800000003',
    soldier: { name: '周小龙', enlistedYearsBack: 1 },
  },
  {
    name: '李秀英',
    village: '铁炉嘴村',
    ...rural,
    soldier: { name: '李浩', enlistedYearsBack: 2 },
  },
  // 童家坝村: 10
  { name: '张伟', village: '童家坝村', category: '带病回乡退伍军人' },
  { name: '陈志强', village: '童家坝村', category: '在乡复员军人', unvisited: true },
  { name: '黄淑珍', village: '童家坝村', category: '病故军人遗属', unvisited: true },
  { name: '何明英', village: '童家坝村', category: '现役军人家属', unvisited: true },
  { name: '高长福', village: '童家坝村', category: '参战参试退役人员' },
  { name: '郑德胜', village: '童家坝村', category: '残疾军人', disability: grade('七级') },
  { name: '王秀兰', village: '童家坝村', category: '现役军人家属' },
  { name: '吴国华', village: '童家坝村', category: '退役士兵' },
  {
    name: '李长顺',
    village: '童家坝村',
    ...rural,
    unpaid: true,
    phone: '13800000004',
    soldier: { name: '李俊杰', enlistedYearsBack: 1 },
  },
  {
    name: '冯玉梅',
    village: '童家坝村',
    ...rural,
    soldier: { name: '冯宇', enlistedYearsBack: 1 },
  },
  // 石门村: 8
  { name: '马永福', village: '石门村', category: '在乡复员军人' },
  { name: '胡建军', village: '石门村', category: '参战参试退役人员' },
  { name: '林淑芬', village: '石门村', category: '烈士遗属' },
  { name: '罗志刚', village: '石门村', category: '残疾军人', disability: grade('六级') },
  { name: '梁桂英', village: '石门村', category: '病故军人遗属', unvisited: true },
  {
    name: '宋文武',
    village: '石门村',
    category: '带病回乡退伍军人',
    need: '长期服药，医药费负担重',
  },
  {
    name: '唐小军',
    village: '石门村',
    ...rural,
    soldier: { name: '唐子豪', enlistedYearsBack: 2 },
  },
  { name: '许海燕', village: '石门村', category: '现役军人家属' },
  // 柳树湾村: 8
  { name: '韩德才', village: '柳树湾村', category: '在乡复员军人' },
  { name: '邓少华', village: '柳树湾村', category: '参战参试退役人员' },
  { name: '曹红梅', village: '柳树湾村', category: '因公牺牲军人遗属' },
  { name: '彭建平', village: '柳树湾村', category: '残疾军人', disability: grade('八级') },
  { name: '曾庆福', village: '柳树湾村', category: '带病回乡退伍军人' },
  {
    name: '谢永红',
    village: '柳树湾村',
    ...rural,
    soldier: { name: '谢文博', enlistedYearsBack: 1 },
  },
  { name: '萧国庆', village: '柳树湾村', category: '退役士兵' },
  { name: '田玉珍', village: '柳树湾村', category: '病故军人遗属' },
  // 青龙村: 8
  { name: '董保国', village: '青龙村', category: '在乡复员军人' },
  { name: '袁金山', village: '青龙村', category: '参战参试退役人员', unvisited: true },
  { name: '潘素芳', village: '青龙村', category: '烈士遗属' },
  { name: '蒋志勇', village: '青龙村', category: '残疾军人', disability: grade('四级') },
  { name: '蔡春花', village: '青龙村', category: '现役军人家属', unvisited: true },
  { name: '余家兴', village: '青龙村', ...rural, soldier: { name: '余航', enlistedYearsBack: 2 } },
  { name: '杜明亮', village: '青龙村', category: '带病回乡退伍军人' },
  { name: '叶长青', village: '青龙村', category: '退役士兵' },
  // 白岩村: 8
  { name: '程守义', village: '白岩村', category: '在乡复员军人' },
  { name: '魏学文', village: '白岩村', category: '参战参试退役人员' },
  { name: '苏兰英', village: '白岩村', category: '因公牺牲军人遗属' },
  { name: '丁红军', village: '白岩村', category: '残疾军人', disability: grade('九级') },
  { name: '任桂芝', village: '白岩村', category: '病故军人遗属' },
  { name: '姚建华', village: '白岩村', category: '带病回乡退伍军人' },
  {
    name: '卢振东',
    village: '白岩村',
    ...rural,
    soldier: { name: '卢明轩', enlistedYearsBack: 1 },
  },
  { name: '姜春燕', village: '白岩村', category: '现役军人家属' },
  // 龙潭村: 8
  { name: '崔永安', village: '龙潭村', category: '在乡复员军人' },
  { name: '钟国栋', village: '龙潭村', category: '参战参试退役人员' },
  { name: '汪玉兰', village: '龙潭村', category: '烈士遗属' },
  { name: '范德胜', village: '龙潭村', category: '残疾军人', disability: grade('十级') },
  { name: '金凤英', village: '龙潭村', category: '带病回乡退伍军人' },
  { name: '陆文清', village: '龙潭村', category: '参战参试退役人员' },
  { name: '贾海波', village: '龙潭村', category: '退役士兵' },
  { name: '夏秀珍', village: '龙潭村', category: '现役军人家属' },
  // 桃园村: 8
  { name: '邱福生', village: '桃园村', category: '在乡复员军人' },
  { name: '方志成', village: '桃园村', category: '参战参试退役人员', unvisited: true },
  { name: '石玉梅', village: '桃园村', category: '其他' },
  { name: '熊德明', village: '桃园村', category: '残疾军人', disability: grade('六级') },
  { name: '戴秋菊', village: '桃园村', category: '病故军人遗属' },
  { name: '廖国强', village: '桃园村', category: '带病回乡退伍军人' },
  { name: '黎明珠', village: '桃园村', category: '其他' },
  { name: '段宝山', village: '桃园村', category: '在乡复员军人' },
  // 新街社区: 7
  {
    name: '李四',
    village: '新街社区',
    ...urban,
    unpaid: true,
    phone: '13800000005',
    soldier: { name: '李晨阳', enlistedYearsBack: 1 },
  },
  {
    name: '孙志远',
    village: '新街社区',
    ...urban,
    soldier: { name: '孙博文', enlistedYearsBack: 2 },
  },
  {
    name: '钱丽华',
    village: '新街社区',
    ...urban,
    soldier: { name: '钱宇航', enlistedYearsBack: 1 },
  },
  { name: '沈国平', village: '新街社区', category: '军队离退休干部', unvisited: true },
  { name: '韦建新', village: '新街社区', category: '军队离退休干部' },
  { name: '顾文娟', village: '新街社区', category: '参战参试退役人员' },
  { name: '毛振华', village: '新街社区', category: '残疾军人', disability: grade('三级') },
]

/** Allowance standards in fen: the year the clock is in, and the year before (year-on-year). */
export const DEMO_STANDARDS = {
  thisYear: { mode: 'split', ruralFen: 580_000, urbanFen: 860_000 },
  lastYear: { mode: 'split', ruralFen: 550_000, urbanFen: 830_000 },
} as const

/** The allowance deadline, month-day of each year. */
export const DEMO_DEADLINE = '07-25'

/** Everyday (日常 / 困难帮扶) visits, days before today, in the last month. */
export const DEMO_RECENT_VISITS: readonly {
  name: string
  village: string
  daysAgo: number
  occasion: '日常' | '困难帮扶'
  cashYuan: number
  need?: string
}[] = [
  {
    name: '杨强国',
    village: '铁炉嘴村',
    daysAgo: 3,
    occasion: '困难帮扶',
    cashYuan: 300,
    need: '孙子看病需要医疗救助',
  },
  { name: '郑德胜', village: '童家坝村', daysAgo: 6, occasion: '日常', cashYuan: 0 },
  { name: '罗志刚', village: '石门村', daysAgo: 9, occasion: '日常', cashYuan: 200 },
  { name: '蒋志勇', village: '青龙村', daysAgo: 12, occasion: '日常', cashYuan: 0 },
  { name: '毛振华', village: '新街社区', daysAgo: 20, occasion: '日常', cashYuan: 300 },
]

/** Activities of this year, month-day (moved to today when that is still ahead). */
export const DEMO_ACTIVITIES: readonly {
  kind: '座谈会' | '晚会' | '表彰会' | '慰问团' | '军训' | '共建点'
  monthDay: string
  count?: number
  village?: string
  siteKind?: '村' | '学校' | '社区' | '企业'
  notes?: string
}[] = [
  { kind: '晚会', monthDay: '01-20', count: 300, notes: '迎春双拥晚会' },
  {
    kind: '共建点',
    monthDay: '03-15',
    village: '桃园村',
    siteKind: '学校',
    notes: '桃园小学国防教育共建点',
  },
  { kind: '表彰会', monthDay: '07-28', count: 120, notes: '双拥模范表彰' },
  { kind: '座谈会', monthDay: '07-30', count: 40, village: '铁炉嘴村' },
  { kind: '慰问团', monthDay: '07-31', count: 25, notes: '慰问驻地武警中队' },
  { kind: '军训', monthDay: '09-05', count: 860, notes: '镇中学新生军训' },
]

/** The unit visited in the 八一 campaign by the leader (a unit visit counts under 全镇). */
export const DEMO_UNIT_VISIT = {
  unitName: '驻地武警中队',
  cashYuan: 5000,
  goods: [{ name: '慰问品', quantity: 20, unit: '箱' }],
} as const
