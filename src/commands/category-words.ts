import { CATEGORIES, type Category } from '../records/schemas.js'

// The one vocabulary of 优抚对象 categories as cadres say them: 添加对象, the roster import and
// the questions (`烈属走访了没有`) all read a category word here.

/** What cadres call the categories in speech and on old rosters. */
const CATEGORY_ALIASES: Readonly<Record<string, Category>> = {
  伤残军人: '残疾军人',
  残疾退役军人: '残疾军人',
  烈属: '烈士遗属',
  烈士家属: '烈士遗属',
  因公牺牲遗属: '因公牺牲军人遗属',
  病故遗属: '病故军人遗属',
  带病回乡: '带病回乡退伍军人',
  复员军人: '在乡复员军人',
  参战退役人员: '参战参试退役人员',
  参试退役人员: '参战参试退役人员',
  军属: '现役军人家属',
  现役军属: '现役军人家属',
  义务兵: '义务兵家庭',
  义务兵家属: '义务兵家庭',
  退伍军人: '退役士兵',
  退役军人: '退役士兵',
  离退休干部: '军队离退休干部',
}

/**
 * The category a chat word or roster cell names, by its name or a common alias (`烈属` →
 * 烈士遗属); undefined when unknown.
 */
export function categoryOf(word: string): Category | undefined {
  if ((CATEGORIES as readonly string[]).includes(word)) return word as Category
  return CATEGORY_ALIASES[word]
}

/**
 * Every word for a category (names and aliases, `其他` left out since it is a common word),
 * longest first, so a reader cutting them out of a sentence takes `残疾退役军人` whole.
 */
export const CATEGORY_WORDS: readonly string[] = [
  ...CATEGORIES.filter((c) => c !== '其他'),
  ...Object.keys(CATEGORY_ALIASES),
].sort((a, b) => b.length - a.length)
