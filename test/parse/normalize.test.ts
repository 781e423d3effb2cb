import { describe, expect, it } from 'vitest'
import { foldText } from '../../src/parse/normalize.js'

describe('foldText', () => {
  it('drops a lone surrogate but keeps whole emoji and the text around it', () => {
    expect(foldText('走访\ud800米一袋')).toBe('走访米一袋')
    expect(foldText('走访\udc00 张三')).toBe('走访 张三')
    expect(foldText('谢谢👍')).toBe('谢谢👍')
  })

  it('folds traditional script and full-width forms as before', () => {
    expect(foldText('登記走訪　張三，１２３')).toBe('登记走访 张三,123')
  })
})
