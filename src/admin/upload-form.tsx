// One file chosen and sent: the form the reply document of a request and the files of a letter's
// reply are uploaded with, with what it says once the file is in or why not. Ids: `${id}-file`,
// `${id}-file-hint`, `${id}-upload`, `${id}-upload-status`, `${id}-upload-error`.
import { useRef, useState } from 'preact/hooks';
import { useBusy } from './hooks';
import { AlertText, StatusText } from './ui';

export function UploadForm({
  id,
  label,
  hint,
  accept,
  button,
  missing,
  send,
}: {
  id: string;
  label: string;
  hint: string;
  accept: string;
  button: string;
  /** Said when no file was chosen. */
  missing: string;
  /** Sends the form (its field `file`); answers what to say once the file is in. */
  send: (form: FormData, chosen: File) => Promise<string>;
}) {
  const file = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState('');
  const [said, setSaid] = useState('');
  const busy = useBusy();
  const upload = async (event: Event) => {
    event.preventDefault();
    setSaid('');
    setProblem('');
    const chosen = file.current?.files?.[0];
    if (!chosen) {
      busy.setError(null);
      setProblem(missing);
      return;
    }
    const form = new FormData();
    form.append('file', chosen);
    const done = await busy.run(() => send(form, chosen));
    if (done !== undefined) {
      if (file.current) file.current.value = '';
      setSaid(done);
    }
  };
  return (
    <>
      <form class="filters" onSubmit={(event) => void upload(event)} noValidate>
        <div class="field">
          <label for={`${id}-file`}>{label}</label>
          <input
            id={`${id}-file`}
            name="file"
            type="file"
            ref={file}
            accept={accept}
            aria-describedby={`${id}-file-hint`}
          />
          <p class="hint" id={`${id}-file-hint`}>
            {hint}
          </p>
        </div>
        <button type="submit" id={`${id}-upload`} class="primary" disabled={busy.busy}>
          {button}
        </button>
      </form>
      <StatusText id={`${id}-upload-status`} text={said} />
      <AlertText id={`${id}-upload-error`} error={busy.error} text={problem} />
    </>
  );
}
