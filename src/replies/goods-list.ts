/** What a reply or a sheet needs of a line of goods, whether parsed or stored. */
export interface GoodsItem {
  readonly name: string
  readonly quantity: number
  readonly unit: string
}

/** `米2袋`: one line of goods as a cadre writes it and every reply shows it. */
export function goodsItem(g: GoodsItem): string {
  return `${g.name}${g.quantity}${g.unit}`
}

/** `米2袋、油1桶`, or '' for none: the goods of a record in the order they were written. */
export function goodsList(goods: readonly GoodsItem[]): string {
  return goods.map(goodsItem).join('、')
}
