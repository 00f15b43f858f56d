// A survey in the back office: its fields, the question editor (single choice, multiple choice,
// free text; options one a line), and publishing or withdrawing it. Once answers exist the server
// refuses changed questions (409): the editor says so and leaves them read-only.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { useBusy, useLoad } from './hooks';
import { HtmlField } from './html-field';
import { t } from './i18n';
import { Link, navigate } from './router';
import { AlertText, Field, Loading, ScreenTitle, StatusText, TextArea } from './ui';
import { phaseName, type QuestionKind, type SurveyDetail } from './surveys';

interface QuestionDraft {
  kind: QuestionKind;
  title: string;
  required: boolean;
  options: string;
  minPicks: string;
  maxPicks: string;
}

interface Draft {
  title: string;
  description: string;
  startDay: string;
  endDay: string;
  respondentRule: 'phone' | 'address';
  resultsPublic: boolean;
  questions: QuestionDraft[];
}

const EMPTY_QUESTION: QuestionDraft = {
  kind: 'single',
  title: '',
  required: true,
  options: '',
  minPicks: '',
  maxPicks: '',
};
const EMPTY: Draft = {
  title: '',
  description: '',
  startDay: '',
  endDay: '',
  respondentRule: 'phone',
  resultsPublic: true,
  questions: [{ ...EMPTY_QUESTION }],
};

function draftOf(survey: SurveyDetail): Draft {
  return {
    title: survey.title,
    description: survey.descriptionHtml,
    startDay: survey.startDay,
    endDay: survey.endDay,
    respondentRule: survey.respondentRule,
    resultsPublic: survey.resultsPublic,
    questions: survey.questions.map((q) => ({
      kind: q.kind,
      title: q.title,
      required: q.required,
      options: q.options.join('\n'),
      minPicks: q.minPicks === null ? '' : String(q.minPicks),
      maxPicks: q.maxPicks === null ? '' : String(q.maxPicks),
    })),
  };
}

const picks = (text: string) => (text.trim() === '' ? null : Number(text));

function bodyOf(draft: Draft) {
  return {
    ...draft,
    questions: draft.questions.map((q) => ({
      kind: q.kind,
      title: q.title,
      required: q.required,
      options:
        q.kind === 'text'
          ? []
          : q.options
              .split('\n')
              .map((o) => o.trim())
              .filter((o) => o !== ''),
      minPicks: q.kind === 'multiple' ? picks(q.minPicks) : null,
      maxPicks: q.kind === 'multiple' ? picks(q.maxPicks) : null,
    })),
  };
}

function QuestionEditor({
  index,
  question,
  frozen,
  onChange,
  onRemove,
}: {
  index: number;
  question: QuestionDraft;
  frozen: boolean;
  onChange: (q: QuestionDraft) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const id = `question-${index}`;
  const set = (patch: Partial<QuestionDraft>) => onChange({ ...question, ...patch });
  return (
    <fieldset class="survey-question" disabled={frozen}>
      <legend>{t('surveys.question', { n })}</legend>
      <div class="field">
        <label for={`${id}-kind`}>{t('surveys.q.kind', { n })}</label>
        <select
          id={`${id}-kind`}
          value={question.kind}
          onChange={(event) => set({ kind: event.currentTarget.value as QuestionKind })}
        >
          <option value="single">{t('surveys.kind.single')}</option>
          <option value="multiple">{t('surveys.kind.multiple')}</option>
          <option value="text">{t('surveys.kind.text')}</option>
        </select>
      </div>
      <Field
        id={`${id}-title`}
        label={t('surveys.q.title', { n })}
        value={question.title}
        onValue={(title) => set({ title })}
        required
        maxLength={200}
      />
      <div class="field check">
        <input
          id={`${id}-required`}
          type="checkbox"
          checked={question.required}
          onChange={(event) => set({ required: event.currentTarget.checked })}
        />
        <label for={`${id}-required`}>{t('surveys.q.required', { n })}</label>
      </div>
      {question.kind !== 'text' ? (
        <TextArea
          id={`${id}-options`}
          label={t('surveys.q.options', { n })}
          value={question.options}
          onValue={(options) => set({ options })}
          rows={4}
        />
      ) : null}
      {question.kind === 'multiple' ? (
        <>
          <Field
            id={`${id}-min`}
            label={t('surveys.q.min', { n })}
            type="number"
            min={1}
            value={question.minPicks}
            onValue={(minPicks) => set({ minPicks })}
          />
          <Field
            id={`${id}-max`}
            label={t('surveys.q.max', { n })}
            type="number"
            min={1}
            value={question.maxPicks}
            onValue={(maxPicks) => set({ maxPicks })}
          />
        </>
      ) : null}
      <button type="button" onClick={onRemove}>
        {t('surveys.q.remove', { n })}
      </button>
    </fieldset>
  );
}

export function SurveyEditorScreen({ id }: { id: number | null }) {
  const loaded = useLoad(
    () => (id === null ? Promise.resolve(null) : api.get<SurveyDetail>(`/api/v1/surveys/${id}`)),
    [id],
  );
  const [survey, setSurvey] = useState<SurveyDetail | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [message, setMessage] = useState('');
  const { busy, error, run } = useBusy();
  useEffect(() => {
    if (loaded.data) {
      setSurvey(loaded.data);
      setDraft(draftOf(loaded.data));
    }
  }, [loaded.data]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setQuestion = (index: number, q: QuestionDraft) =>
    setDraft((d) => ({ ...d, questions: d.questions.map((old, i) => (i === index ? q : old)) }));
  const frozen = survey?.questionsFrozen ?? false;

  const save = async (event: Event) => {
    event.preventDefault();
    const saved = await run(() =>
      survey
        ? api.put<SurveyDetail>(`/api/v1/surveys/${survey.id}`, bodyOf(draft))
        : api.post<SurveyDetail>('/api/v1/surveys', bodyOf(draft)),
    );
    if (!saved) return;
    setSurvey(saved);
    setDraft(draftOf(saved));
    setMessage(t('surveys.saved'));
    if (!survey) navigate(`/surveys/${saved.id}`, { replace: true, keepScreen: true });
  };
  const step = async (action: 'publish' | 'withdraw') => {
    if (!survey) return;
    const changed = await run(() => api.post<SurveyDetail>(`/api/v1/surveys/${survey.id}/${action}`));
    if (!changed) return;
    setSurvey(changed);
    setMessage(t(action === 'publish' ? 'surveys.published' : 'surveys.withdrawn'));
  };

  const title = survey ? t('surveys.editTitle', { title: survey.title }) : t('surveys.newTitle');
  return (
    <section aria-labelledby="screen-title">
      <ScreenTitle title={title} />
      <p>
        <Link to="/surveys">{t('surveys.back')}</Link>
      </p>
      {id !== null ? <Loading loading={loaded.loading} error={loaded.error} /> : null}
      {survey ? <p>{t('surveys.status', { phase: phaseName(survey.phase), n: survey.respondents })}</p> : null}
      <form class="survey-editor" onSubmit={(event) => void save(event)}>
        <Field
          id="survey-title"
          label={t('surveys.field.title')}
          value={draft.title}
          onValue={(v) => set({ title: v })}
          required
          maxLength={100}
        />
        <HtmlField
          // Made again once the survey is loaded: the editor takes its text when it starts.
          key={survey?.id ?? 'new'}
          id="survey-description"
          label="surveys.field.description"
          toolbar="surveys.field.descriptionToolbar"
          html={draft.description}
          onHtml={(v) => set({ description: v })}
        />
        <Field
          id="survey-start"
          label={t('surveys.field.startDay')}
          type="date"
          value={draft.startDay}
          onValue={(v) => set({ startDay: v })}
          required
        />
        <Field
          id="survey-end"
          label={t('surveys.field.endDay')}
          type="date"
          value={draft.endDay}
          onValue={(v) => set({ endDay: v })}
          required
          hint={t('surveys.field.endHint')}
        />
        <div class="field">
          <label for="survey-rule">{t('surveys.field.rule')}</label>
          <select
            id="survey-rule"
            disabled={frozen}
            value={draft.respondentRule}
            onChange={(event) => set({ respondentRule: event.currentTarget.value as Draft['respondentRule'] })}
          >
            <option value="phone">{t('surveys.rule.phone')}</option>
            <option value="address">{t('surveys.rule.address')}</option>
          </select>
        </div>
        <div class="field check">
          <input
            id="survey-public"
            type="checkbox"
            checked={draft.resultsPublic}
            onChange={(event) => set({ resultsPublic: event.currentTarget.checked })}
          />
          <label for="survey-public">{t('surveys.field.resultsPublic')}</label>
        </div>
        <h2>{t('surveys.questions')}</h2>
        {frozen ? <p>{t('surveys.frozen')}</p> : null}
        {draft.questions.map((q, index) => (
          <QuestionEditor
            key={index}
            index={index}
            question={q}
            frozen={frozen}
            onChange={(changed) => setQuestion(index, changed)}
            onRemove={() => set({ questions: draft.questions.filter((_, i) => i !== index) })}
          />
        ))}
        <p>
          <button
            type="button"
            disabled={frozen}
            onClick={() => set({ questions: [...draft.questions, { ...EMPTY_QUESTION }] })}
          >
            {t('surveys.addQuestion')}
          </button>
        </p>
        <p class="actions">
          <button type="submit" disabled={busy}>
            {t('surveys.save')}
          </button>
          {survey?.status === 'draft' ? (
            <button type="button" disabled={busy} onClick={() => void step('publish')}>
              {t('surveys.publish')}
            </button>
          ) : null}
          {survey?.status === 'published' ? (
            <button type="button" disabled={busy} onClick={() => void step('withdraw')}>
              {t('surveys.withdraw')}
            </button>
          ) : null}
          {survey ? <Link to={`/surveys/${survey.id}/results`}>{t('surveys.results')}</Link> : null}
        </p>
        <StatusText text={message} />
        <AlertText error={error} />
      </form>
    </section>
  );
}
