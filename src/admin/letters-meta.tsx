// A letter's particulars (type, status, unit, times, deadline, rating) and its handling history.
import type { ComponentChildren } from 'preact';
import { useApp } from './context';
import { t } from './i18n';
import {
  DueText,
  LetterStatusText,
  letterStatusLabel,
  letterStepLabel,
  letterTypeLabel,
  ratingLabel,
} from './letters-parts';
import { formatDateTime } from './time';
import type { LetterDetail } from './types';
import { DataTable } from './ui';

interface Item {
  id: string;
  label: string;
  value: ComponentChildren;
}

export function LetterMeta({ letter }: { letter: LetterDetail }) {
  const { site } = useApp();
  const time = (iso: string | null) => (iso ? formatDateTime(iso, site.timeZone) : '—');
  const yesNo = (value: boolean) => (value ? t('letters.yes') : t('letters.no'));
  const rating =
    letter.rating === null
      ? '—'
      : letter.ratingComment
        ? t('letters.withRemark', { day: ratingLabel(letter.rating), rest: letter.ratingComment })
        : ratingLabel(letter.rating);
  const items: Item[] = [
    { id: 'id', label: t('letters.id'), value: `#${letter.id}` },
    { id: 'query-code', label: t('letters.queryCode'), value: letter.queryCode },
    { id: 'type', label: t('letters.col.type'), value: letterTypeLabel(letter.type) },
    { id: 'status', label: t('letters.col.status'), value: <LetterStatusText letter={letter} /> },
    { id: 'unit', label: t('letters.col.unit'), value: letter.unit ? letter.unit.name : '—' },
    { id: 'received', label: t('letters.receivedAt'), value: time(letter.receivedAt) },
    { id: 'accepted', label: t('letters.acceptedAt'), value: time(letter.acceptedAt) },
    { id: 'due', label: t('letters.col.due'), value: <DueText letter={letter} /> },
    { id: 'answered', label: t('letters.answeredAt'), value: time(letter.answeredAt) },
    { id: 'published', label: t('letters.publishedAt'), value: time(letter.publishedAt) },
    { id: 'rating', label: t('letters.rating'), value: rating },
    { id: 'reopened', label: t('letters.reopenCount'), value: String(letter.reopenCount) },
    { id: 'agree-publish', label: t('letters.agreePublish'), value: yesNo(letter.agreePublish) },
    { id: 'show-name', label: t('letters.showName'), value: yesNo(letter.showName) },
  ];
  return (
    <section class="panel" aria-labelledby="letter-about-title">
      <h2 id="letter-about-title">{t('letters.about')}</h2>
      <dl class="letter-meta">
        {items.map((item) => (
          <div key={item.id}>
            <dt>{item.label}</dt>
            <dd id={`letter-${item.id}`}>{item.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function LetterHistory({ letter }: { letter: LetterDetail }) {
  const { site } = useApp();
  return (
    <section aria-labelledby="letter-steps-title">
      <h2 id="letter-steps-title">{t('letters.steps')}</h2>
      <DataTable
        caption={t('letters.steps')}
        class="letter-steps"
        columns={[
          t('letters.col.at'),
          t('letters.col.step'),
          t('letters.col.change'),
          t('letters.col.actor'),
          t('letters.col.stepUnit'),
          t('letters.col.note'),
          t('letters.col.due'),
        ]}
      >
        {letter.steps.map((step, index) => (
          <tr key={index}>
            <td>{formatDateTime(step.at, site.timeZone)}</td>
            <td>{letterStepLabel(step.step, step.name)}</td>
            <td>
              {step.fromStatus ? `${letterStatusLabel(step.fromStatus)} → ` : ''}
              {letterStatusLabel(step.toStatus)}
            </td>
            <td>{step.actorName}</td>
            <td>{step.unit ?? ''}</td>
            <td class="letter-note">{step.note}</td>
            <td>{step.dueDay ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
