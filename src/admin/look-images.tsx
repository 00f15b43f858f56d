// The logo, banner and favicon of the look: each uploaded on its own (into the media library,
// checked by the server: 413 too large, 415 not an image), previewed, its alternative text
// edited; the look takes them when it is saved.
import { useRef, useState } from 'preact/hooks';
import type { LookImage } from '../domain/look';
import { api } from './api';
import { useBusy } from './hooks';
import { tr, type LookTextKey } from './look-text';
import { AlertText, Field, StatusText } from './ui';

export type LookSlot = 'logo' | 'banner' | 'favicon';

const SLOTS: readonly { slot: LookSlot; hint: LookTextKey; accept: string }[] = [
  { slot: 'logo', hint: 'logoHint', accept: 'image/png,image/jpeg,image/webp,image/svg+xml' },
  { slot: 'banner', hint: 'bannerHint', accept: 'image/png,image/jpeg,image/webp,image/svg+xml' },
  { slot: 'favicon', hint: 'faviconHint', accept: 'image/png,image/jpeg,image/webp,image/svg+xml,image/x-icon,.ico' },
];

interface SlotProps {
  slot: LookSlot;
  hint: LookTextKey;
  accept: string;
  image: LookImage | null;
  onImage: (image: LookImage | null) => void;
}

/** Ids: `look-${slot}-file`, `look-${slot}-alt`, `look-${slot}-upload`, `look-${slot}-remove`, `look-${slot}-status`, `look-${slot}-error`. */
function ImageSlot({ slot, hint, accept, image, onImage }: SlotProps) {
  const file = useRef<HTMLInputElement>(null);
  const [alt, setAlt] = useState(image?.alt ?? '');
  const [said, setSaid] = useState('');
  const [problem, setProblem] = useState('');
  const busy = useBusy();
  const name = tr(slot);
  const upload = async () => {
    setSaid('');
    setProblem('');
    const chosen = file.current?.files?.[0];
    if (!chosen) {
      setProblem(tr('noFile'));
      return;
    }
    const form = new FormData();
    form.append('alt', alt);
    form.append('file', chosen);
    const done = await busy.run(() => api.upload<LookImage>(`/api/v1/site/look/images/${slot}`, form));
    if (!done) return;
    if (file.current) file.current.value = '';
    setAlt(done.alt);
    onImage(done);
    setSaid(tr('uploaded', { slot: name }));
  };
  const changeAlt = (value: string) => {
    setAlt(value);
    if (image && slot !== 'favicon') onImage({ ...image, alt: value });
  };
  return (
    <fieldset class="look-image">
      <legend>{name}</legend>
      <div class="look-image-current">
        {image ? (
          <img src={image.url} alt={tr('current', { slot: name })} class={`look-${slot}-preview`} />
        ) : (
          <p class="meta">{tr('none')}</p>
        )}
      </div>
      <div class="field">
        <label for={`look-${slot}-file`}>{tr('file', { slot: name })}</label>
        <input id={`look-${slot}-file`} type="file" ref={file} accept={accept} aria-describedby={`look-${slot}-hint`} />
        <p class="hint" id={`look-${slot}-hint`}>
          {tr(hint)}
        </p>
      </div>
      {slot === 'favicon' ? null : (
        <Field
          id={`look-${slot}-alt`}
          label={tr('alt', { slot: name })}
          hint={tr('altHint')}
          maxLength={100}
          value={alt}
          onValue={changeAlt}
        />
      )}
      <div class="actions">
        <button type="button" id={`look-${slot}-upload`} disabled={busy.busy} onClick={() => void upload()}>
          {tr('upload', { slot: name })}
        </button>
        {image ? (
          <button
            type="button"
            id={`look-${slot}-remove`}
            onClick={() => {
              onImage(null);
              setSaid(tr('removed', { slot: name }));
            }}
          >
            {tr('remove', { slot: name })}
          </button>
        ) : null}
      </div>
      <StatusText id={`look-${slot}-status`} text={said} />
      <AlertText id={`look-${slot}-error`} error={busy.error} text={problem} />
    </fieldset>
  );
}

/** The three images: the favicon is kept as its address alone (its text is the site's name). */
export function LookImages({
  logo,
  banner,
  favicon,
  onImage,
}: {
  logo: LookImage | null;
  banner: LookImage | null;
  favicon: string | null;
  onImage: (slot: LookSlot, image: LookImage | null) => void;
}) {
  const current: Record<LookSlot, LookImage | null> = {
    logo,
    banner,
    favicon: favicon === null ? null : { url: favicon, alt: '' },
  };
  return (
    <section class="panel" aria-labelledby="look-images-title">
      <h2 id="look-images-title">{tr('images')}</h2>
      <div class="look-images">
        {SLOTS.map(({ slot, hint, accept }) => (
          <ImageSlot
            key={slot}
            slot={slot}
            hint={hint}
            accept={accept}
            image={current[slot]}
            onImage={(image) => onImage(slot, image)}
          />
        ))}
      </div>
    </section>
  );
}
