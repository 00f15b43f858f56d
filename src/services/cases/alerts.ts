import { Type, type Static } from 'typebox';
import { LETTER_ALERT_LABELS, isLetterAlert, mostUrgentAlerts, type LetterAlert } from '../../domain/index.js';
import { letters } from '../../store/index.js';
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { Nullable, Time } from '../views.js';
import { standingOf } from './handling.js';

export const LetterAlertKindSchema = Type.Union(
  [
    Type.Literal('deadline-50'),
    Type.Literal('deadline-80'),
    Type.Literal('deadline-100'),
    Type.Literal('veto-60'),
    Type.Literal('veto-80'),
    Type.Literal('veto-90'),
  ],
  {
    description:
      'deadline-50/80/100: that share of the working-day deadline used up; veto-60/80/90: days unanswered, toward the 3-month veto (互动回应差)',
  },
);

export const LetterAlertViewSchema = Type.Object({
  id: Type.Integer(),
  letterId: Type.Integer(),
  siteId: Type.Integer(),
  queryCode: Type.String(),
  title: Type.String(),
  unit: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
  dueDay: Nullable(
    Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The due day, in the site’s time zone' }),
  ),
  alert: LetterAlertKindSchema,
  label: Type.Object({ zh: Type.String(), en: Type.String() }),
  raisedAt: Time,
});
export type LetterAlertView = Static<typeof LetterAlertViewSchema>;

/** An alert row whose kind is one the watch raises (a row edited by hand is left out). */
export function knownAlert<T extends { readonly alert: string }>(row: T): (T & { alert: LetterAlert }) | null {
  return isLetterAlert(row.alert) ? { ...row, alert: row.alert } : null;
}

/**
 * The dashboard's alerts: those of the letters the reader may see (the office and the site's
 * administrator: the site's letters; a handler: their units' letters, on any site) that still wait
 * for an answer, newest first; per letter only the latest deadline alert and the latest veto alert.
 */
export async function letterAlerts(ctx: ServiceContext, actor: Actor): Promise<{ items: LetterAlertView[] }> {
  const standing = await standingOf(ctx, actor);
  const rows = await letters.openAlerts(ctx.store.db, {
    siteIds: standing.siteReader ? [standing.siteId] : [],
    unitIds: [...standing.units.keys()],
  });
  const known = rows.flatMap((row) => knownAlert(row) ?? []);
  return {
    items: mostUrgentAlerts(known).map((row) => ({
      id: row.id,
      letterId: row.letterId,
      siteId: row.siteId,
      queryCode: row.queryCode,
      title: row.title,
      unit: row.unitId === null ? null : { id: row.unitId, name: row.unitName ?? '' },
      dueDay: row.dueDay,
      alert: row.alert,
      label: { ...LETTER_ALERT_LABELS[row.alert] },
      raisedAt: row.raisedAt,
    })),
  };
}
