// A password input with a show/hide switch (ASVS 2.1.12) and, for a new password, a strength
// meter (ASVS 2.1.8) from the same estimate the server refuses weak passwords with.
import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from './i18n';

interface PasswordFieldProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  autocomplete: 'current-password' | 'new-password';
  required?: boolean;
  hint?: string;
  /** Show the strength meter; the words a guesser would try first (user name, site name). */
  strengthContext?: readonly string[];
}

const STRENGTH_LABEL: readonly MessageKey[] = [
  'password.strength0',
  'password.strength1',
  'password.strength2',
  'password.strength3',
  'password.strength4',
];

type Estimate = typeof import('../domain/password-strength').passwordStrength;

// The estimator and its dictionaries are loaded with the first new password typed, not with the back office.
let estimator: Promise<Estimate> | null = null;
const loadEstimator = () => (estimator ??= import('../domain/password-strength').then((m) => m.passwordStrength));

function useStrength(value: string, context: readonly string[] | undefined): number | null {
  const [score, setScore] = useState<number | null>(null);
  const words = context?.join('\u0000');
  useEffect(() => {
    if (words === undefined || value === '') {
      setScore(null);
      return;
    }
    let current = true;
    void loadEstimator().then((estimate) => {
      if (current) setScore(estimate(value, words.split('\u0000')).score);
    });
    return () => {
      current = false;
    };
  }, [value, words]);
  return score;
}

export function PasswordField(props: PasswordFieldProps) {
  const { id, label, value, onValue, hint, strengthContext } = props;
  const [shown, setShown] = useState(false);
  const score = useStrength(value, strengthContext);
  const described = [hint ? `${id}-hint` : '', strengthContext ? `${id}-strength` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>
        {label}
        {props.required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      <div class="password-input">
        <input
          id={id}
          name={id}
          type={shown ? 'text' : 'password'}
          value={value}
          required={props.required}
          autocomplete={props.autocomplete}
          spellcheck={false}
          autocapitalize="off"
          aria-describedby={described || undefined}
          onInput={(event) => onValue(event.currentTarget.value)}
        />
        <button
          type="button"
          class="password-toggle"
          id={`${id}-toggle`}
          aria-controls={id}
          aria-pressed={shown}
          onClick={() => setShown(!shown)}
        >
          {t(shown ? 'password.hide' : 'password.show')}
        </button>
      </div>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {strengthContext ? (
        <p class="password-strength" id={`${id}-strength`} aria-live="polite">
          <meter min={0} max={4} low={2} high={3} optimum={4} value={score ?? 0} aria-hidden="true" />{' '}
          <span>
            {score === null ? '' : `${t('password.strength')}: ${t(STRENGTH_LABEL[score] ?? 'password.strength0')}`}
          </span>
        </p>
      ) : null}
    </div>
  );
}
