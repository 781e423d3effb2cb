import type { Person } from '../records/schemas.js'
import type { ExportContext } from './export-context.js'

/** Phone and ID number of `person`: in clear only when the signed link says so. */
export async function contactOf(ctx: ExportContext, person: Person): Promise<[string, string]> {
  const clear = ctx.request.reveal ? await ctx.deps.people.revealPii(person.id) : undefined
  return [clear?.phone ?? person.phoneMasked ?? '', clear?.idNumber ?? person.idNumberMasked ?? '']
}
