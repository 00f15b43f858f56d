import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import { blindIndex, sealPersonal, type DataKeyring } from './personal-data.js';

/** The tables whose rows carry one sealed contact (personal, its key id, the phone's blind index). */
type SealedTable = 'letter' | 'infoRequest' | 'consultationComment';

/**
 * Seals rows again with the current key (a letter's writer, a request's applicant, a comment's
 * author). Each row is rewritten only if its sealed value is still the one read, so a rotation
 * running beside the office loses no change made meanwhile. Answers how many were rewritten.
 */
export async function resealRows<Row extends { readonly id: number; readonly personal: string }>(
  db: Kysely<Database>,
  keyring: DataKeyring,
  table: SealedTable,
  rows: readonly Row[],
  open: (row: Row) => { readonly phone: string },
  context: string,
): Promise<number> {
  let done = 0;
  for (const row of rows) {
    const contact = open(row);
    const result = await db
      .updateTable(table)
      .set({
        personal: sealPersonal(keyring, JSON.stringify(contact), context),
        personalKeyId: keyring.current.id,
        phoneIndex: blindIndex(keyring.current, 'phone', contact.phone),
      })
      .where('id', '=', row.id)
      .where('personal', '=', row.personal)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) done++;
  }
  return done;
}
