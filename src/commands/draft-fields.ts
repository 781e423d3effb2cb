import { z } from 'zod'
import { localDateSchema } from '../records/schemas.js'

// Fields several record drafts share, so that a visit and a payment name a person and hold a
// checked date the same way (people-lookup.ts applyLookup, done-date.ts CheckedDate).

const recordId = z.number().int().positive()

/** Whom the draft is about, as the name look-up left it. */
export const lookupFields = {
  personId: recordId.optional(),
  unitName: z.string().max(60).optional(),
  /** Namesakes to choose from, while the choice is pending. */
  candidates: z.array(recordId).max(50).optional(),
  candidateName: z.string().max(60).optional(),
}

/** The date of something done, as done-date.ts checked it. */
export const checkedDateFields = {
  date: localDateSchema.optional(),
  dateText: z.string().max(60).optional(),
  /** A year-less date far back, to confirm before storing. */
  dateFarBack: z.boolean().optional(),
}

/** Set by 「确认」 to a write held as a duplicate (forms.ts ConfirmationNeeded). */
export const duplicateConfirmed = z.boolean().optional()
