// The year asked of a yearly report (信息公开年度统计, 信件统计): empty until the user types one, the
// year the server answered for shown meanwhile.
import { useState } from 'preact/hooks';

export function YearFilter({
  id,
  label,
  button,
  shown,
  onAsk,
}: {
  id: string;
  label: string;
  button: string;
  /** The year of the figures on screen (the server's default is this year). */
  shown: number | null;
  onAsk: (year: string) => void;
}) {
  const [year, setYear] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    onAsk(year);
  };
  return (
    <form class="filters" onSubmit={submit}>
      <div class="field">
        <label for={id}>{label}</label>
        <input
          id={id}
          type="number"
          min={2000}
          max={2100}
          required
          value={year || (shown === null ? '' : String(shown))}
          onInput={(e) => setYear(e.currentTarget.value)}
        />
      </div>
      <button type="submit" id={`${id}-show`}>
        {button}
      </button>
    </form>
  );
}
