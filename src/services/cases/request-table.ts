import type { Kysely } from 'kysely';
import { buildRequestTable, isApplicantClass, type RequestTable } from '../../domain/index.js';
import { infoRequests, type Database } from '../../store/index.js';

/** The annual table of a site's requests for a year (days in the site's time zone). */
export async function requestTableOf(db: Kysely<Database>, siteId: number, year: number): Promise<RequestTable> {
  const rows = await infoRequests.tallies(db, siteId, `${year}-12-31`);
  return buildRequestTable(
    year,
    rows.flatMap((r) =>
      isApplicantClass(r.applicantClass)
        ? [
            {
              applicantClass: r.applicantClass,
              receivedDay: r.receivedDay,
              answeredDay: r.answeredDay,
              outcome: r.outcome,
            },
          ]
        : [],
    ),
  );
}
