// The look's two colours: a colour picker and a #rrggbb field each, with the contrast against
// white text measured as it is typed (the same rule the server refuses a save with).
import { AA_CONTRAST, HEX_COLOUR, contrastRatio, shownRatio, type LookColour } from '../domain/contrast';
import { tr, type LookTextKey } from './look-text';

function ratioText(colour: string): { text: string; ok: boolean } {
  if (!HEX_COLOUR.test(colour)) return { text: tr('ratioBad'), ok: false };
  const ratio = shownRatio(contrastRatio(colour, '#ffffff'));
  const ok = ratio >= AA_CONTRAST;
  return { text: tr('ratio', { ratio: ratio.toFixed(2) }) + tr(ok ? 'ratioOk' : 'ratioLow'), ok };
}

const FIELDS: readonly [LookColour, LookTextKey, string][] = [
  ['mainColour', 'mainColour', 'look-main-colour'],
  ['accentColour', 'accentColour', 'look-accent-colour'],
];

/**
 * Ids: `look-main-colour` (the #rrggbb field), `look-main-colour-picker`, `look-main-colour-ratio`;
 * the same with `look-accent-colour`.
 */
export function LookColours({
  colours,
  onColour,
}: {
  colours: Readonly<Record<LookColour, string>>;
  onColour: (field: LookColour, value: string) => void;
}) {
  return (
    <section class="panel" aria-labelledby="look-colours-title">
      <h2 id="look-colours-title">{tr('colours')}</h2>
      <p class="hint" id="look-colours-hint">
        {tr('coloursHint')}
      </p>
      <div class="look-colours">
        {FIELDS.map(([field, label, id]) => {
          const value = colours[field];
          const ratio = ratioText(value);
          return (
            <fieldset key={field} aria-describedby="look-colours-hint">
              <legend>{tr(label)}</legend>
              <div class="field inline">
                <label for={`${id}-picker`}>{`${tr(label)}（${tr('picker')}）`}</label>
                <input
                  id={`${id}-picker`}
                  type="color"
                  value={HEX_COLOUR.test(value) ? value.toLowerCase() : '#000000'}
                  aria-describedby={`${id}-ratio`}
                  onInput={(event) => onColour(field, event.currentTarget.value)}
                />
              </div>
              <div class="field">
                <label for={id}>{`${tr(label)} ${tr('hexLabel')}`}</label>
                <input
                  id={id}
                  type="text"
                  value={value}
                  maxLength={7}
                  spellcheck={false}
                  autocomplete="off"
                  aria-invalid={ratio.ok ? undefined : 'true'}
                  aria-describedby={`${id}-ratio`}
                  onInput={(event) => onColour(field, event.currentTarget.value.trim())}
                />
              </div>
              <p id={`${id}-ratio`} class={ratio.ok ? 'hint' : 'hint look-ratio-low'} aria-live="polite">
                <span class="look-swatch" style={{ background: HEX_COLOUR.test(value) ? value : 'transparent' }} />{' '}
                {ratio.text}
              </p>
            </fieldset>
          );
        })}
      </div>
    </section>
  );
}
