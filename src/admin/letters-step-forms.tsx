// The steps that need more than a note: 不予受理 (a reason), 合并重复件 (the earlier letter),
// 转办 (a unit, perhaps another due day) and 提交答复 (the reply, in the article editor).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Editor } from '@tiptap/core';
import { api } from './api';
import { useLoad } from './hooks';
import { t } from './i18n';
import { lazy } from './lazy';
import { letterStepLabel } from './letters-parts';
import { tidyEditorHtml } from './paste';
import type { CaseUnit, Items, LetterDetail, LetterStep, LetterStepInput } from './types';
import { Field, Loading, RequiredMark, TextArea } from './ui';

const RichText = lazy(() => import('./rich-text').then((module) => module.RichText));

export interface StepFormProps {
  letter: LetterDetail;
  take: (step: LetterStep, input: LetterStepInput) => Promise<void>;
  busy: boolean;
  /** Shows what is missing, in the actions' alert. */
  complain: (text: string) => void;
}

/** The usual 不予受理 reasons; the reason is kept in these words, so they are not translated. */
const REJECT_REASONS = [
  '属于诉讼、仲裁、行政复议等法定途径解决的事项',
  '属于党委、人大、政协、法院、检察院、军队等职权范围的事项',
  '属于已经受理或正在办理的信访事项',
  '内容不明确或联系方式不真实',
  '含有广告等与政务无关的内容',
  '重复提交',
  '不属于政府职能范围的事项',
];
const OTHER = 'other';

interface ShellProps {
  step: LetterStep;
  busy: boolean;
  onSubmit: () => void;
  children: ComponentChildren;
}

function StepShell({ step, busy, onSubmit, children }: ShellProps) {
  return (
    <form
      class="step-form"
      aria-labelledby={`step-${step}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={`step-${step}-title`}>{letterStepLabel(step)}</h3>
      {children}
      <button type="submit" class={step === 'reject' ? 'danger' : 'primary'} id={`step-${step}`} disabled={busy}>
        {letterStepLabel(step)}
      </button>
    </form>
  );
}

export function RejectStep({ take, busy, complain }: StepFormProps) {
  const [choice, setChoice] = useState('');
  const [own, setOwn] = useState('');
  const submit = () => {
    const reason = choice === OTHER ? own.trim() : choice;
    if (!reason) complain(t('letters.reasonMissing'));
    else void take('reject', { reason });
  };
  return (
    <StepShell step="reject" busy={busy} onSubmit={submit}>
      <div class="field">
        <label for="step-reject-reason">
          {t('letters.reason')}
          <RequiredMark />
        </label>
        <select
          id="step-reject-reason"
          required
          value={choice}
          onChange={(event) => setChoice(event.currentTarget.value)}
        >
          <option value="">—</option>
          {REJECT_REASONS.map((reason) => (
            <option key={reason} value={reason} lang="zh-CN">
              {reason}
            </option>
          ))}
          <option value={OTHER}>{t('letters.reasonOther')}</option>
        </select>
      </div>
      {choice === OTHER ? (
        <Field
          id="step-reject-own"
          label={t('letters.reasonOwn')}
          value={own}
          onValue={setOwn}
          required
          maxLength={200}
        />
      ) : null}
    </StepShell>
  );
}

export function MergeStep({ letter, take, busy }: StepFormProps) {
  const suggested = letter.flags.nearDuplicateOf;
  const [target, setTarget] = useState(suggested === null ? '' : String(suggested));
  const [note, setNote] = useState('');
  return (
    <StepShell
      step="merge"
      busy={busy}
      onSubmit={() => void take('merge', { duplicateOf: Number(target), ...(note.trim() && { note: note.trim() }) })}
    >
      <Field
        id="step-merge-target"
        label={t('letters.duplicateField')}
        value={target}
        onValue={setTarget}
        type="number"
        min={1}
        required
        hint={suggested === null ? undefined : t('letters.duplicateHint')}
      />
      <TextArea id="step-merge-note" label={t('letters.noteOptional')} value={note} onValue={setNote} rows={2} />
    </StepShell>
  );
}

export function AssignStep({ letter, take, busy, complain }: StepFormProps) {
  const units = useLoad(
    () => api.get<Items<CaseUnit>>('/api/v1/case-units', { scope: 'platform' }).then((answer) => answer.items),
    [],
  );
  const [unitId, setUnitId] = useState(letter.unit ? String(letter.unit.id) : '');
  const [dueDay, setDueDay] = useState('');
  const [note, setNote] = useState('');
  const active = (units.data ?? []).filter((unit) => unit.active);
  const submit = () => {
    if (!unitId) complain(t('letters.unitMissing'));
    else
      void take('assign', {
        unitId: Number(unitId),
        ...(dueDay && { dueDay }),
        ...(note.trim() && { note: note.trim() }),
      });
  };
  return (
    <StepShell step="assign" busy={busy} onSubmit={submit}>
      <Loading loading={units.loading} error={units.error} />
      <div class="field">
        <label for="step-assign-unit">
          {t('letters.unitField')}
          <RequiredMark />
        </label>
        <select
          id="step-assign-unit"
          required
          value={unitId}
          onChange={(event) => setUnitId(event.currentTarget.value)}
        >
          <option value="">—</option>
          {active.map((unit) => (
            <option key={unit.id} value={String(unit.id)}>
              {unit.siteId === letter.siteId ? unit.name : `${unit.siteName} · ${unit.name}`}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="step-assign-due"
        label={t('letters.dueField')}
        value={dueDay}
        onValue={setDueDay}
        type="date"
        hint={t('letters.dueHint')}
      />
      <TextArea id="step-assign-note" label={t('letters.noteOptional')} value={note} onValue={setNote} rows={2} />
    </StepShell>
  );
}

function textOf(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
}

export function ReplyStep({ letter, take, busy, complain }: StepFormProps) {
  const [reply, setReply] = useState({ html: letter.reply, text: textOf(letter.reply) });
  const submit = () => {
    if (!reply.text.trim()) complain(t('letters.replyMissing'));
    else void take('reply', { reply: reply.html });
  };
  return (
    <StepShell step="reply" busy={busy} onSubmit={submit}>
      <div class="field">
        <p class="field-label">{t('letters.replyField')}</p>
        <RichText
          idPrefix="reply-"
          label="letters.replyField"
          toolbarLabel="letters.replyToolbar"
          initialHtml={letter.reply}
          onChange={(editor: Editor) => setReply({ html: tidyEditorHtml(editor.getHTML()), text: editor.getText() })}
        />
      </div>
    </StepShell>
  );
}
