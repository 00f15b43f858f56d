// 办理: one button or form for each step the server says the user may take now (allowedSteps),
// with the fields that step needs; the answer is the letter as it stands after the step.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy } from './hooks';
import { t } from './i18n';
import { letterStepLabel } from './letters-parts';
import { AssignStep, MergeStep, RejectStep, ReplyStep, type StepFormProps } from './letters-step-forms';
import { LETTER_STEPS, type LetterDetail, type LetterStep, type LetterStepInput } from './types';
import { AlertText, TextArea } from './ui';

/** Steps that need nothing but the click. */
const PLAIN: readonly LetterStep[] = ['accept', 'recall', 'publish', 'unpublish'];

function NoteStep({ step, take, busy, required }: StepFormProps & { step: LetterStep; required: boolean }) {
  const [note, setNote] = useState('');
  const label =
    step === 'return'
      ? t('letters.returnNote')
      : step === 'send-back'
        ? t('letters.sendBackNote')
        : t('letters.noteOptional');
  return (
    <form
      class="step-form"
      aria-labelledby={`step-${step}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        void take(step, note.trim() ? { note: note.trim() } : {});
      }}
    >
      <h3 id={`step-${step}-title`}>{letterStepLabel(step)}</h3>
      <TextArea id={`step-${step}-note`} label={label} value={note} onValue={setNote} required={required} rows={2} />
      <button type="submit" class="primary" id={`step-${step}`} disabled={busy}>
        {letterStepLabel(step)}
      </button>
    </form>
  );
}

function StepForm({ step, ...props }: StepFormProps & { step: LetterStep }) {
  switch (step) {
    case 'reject':
      return <RejectStep {...props} />;
    case 'merge':
      return <MergeStep {...props} />;
    case 'assign':
      return <AssignStep {...props} />;
    case 'reply':
      return <ReplyStep {...props} />;
    case 'return':
    case 'send-back':
      return <NoteStep {...props} step={step} required />;
    case 'approve':
      return <NoteStep {...props} step={step} required={false} />;
    case 'accept':
    case 'recall':
    case 'publish':
    case 'unpublish':
      return null;
  }
}

interface ActionsProps {
  letter: LetterDetail;
  onDone: (next: LetterDetail, step: LetterStep) => void;
}

export function LetterActions({ letter, onDone }: ActionsProps) {
  const { busy, error, setError, run } = useBusy();
  const [problem, setProblem] = useState('');
  const steps = LETTER_STEPS.filter((step) => letter.allowedSteps.includes(step));
  const take = async (step: LetterStep, input: LetterStepInput) => {
    setProblem('');
    const next = await run(() => api.post<LetterDetail>(`/api/v1/letters/${letter.id}/${step}`, input));
    if (next) onDone(next, step);
  };
  const complain = (text: string) => {
    setError(null);
    setProblem(text);
  };
  const props: StepFormProps = { letter, take, busy, complain };
  const plain = steps.filter((step) => PLAIN.includes(step));
  return (
    <section class="panel" aria-labelledby="letter-actions-title">
      <h2 id="letter-actions-title" tabIndex={-1}>
        {t('letters.actions')}
      </h2>
      {steps.length === 0 ? <p class="empty">{t('letters.noActions')}</p> : null}
      {plain.length > 0 ? (
        <div class="actions">
          {plain.map((step) => (
            <button
              key={step}
              type="button"
              class={step === 'unpublish' ? 'danger' : 'primary'}
              id={`step-${step}`}
              disabled={busy}
              onClick={() => void take(step, {})}
            >
              {letterStepLabel(step)}
            </button>
          ))}
        </div>
      ) : null}
      {steps.map((step) => (
        <StepForm key={step} step={step} {...props} />
      ))}
      <AlertText id="letter-step-error" error={error} text={problem} />
    </section>
  );
}
