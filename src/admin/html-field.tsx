// A labelled rich-text field (TipTap, loaded lazily) whose value is tidied HTML: the draft of a
// consultation, its 起草说明 and 解读, a survey's description. The server sanitises it again.
import type { Editor } from '@tiptap/core';
import { t, type MessageKey } from './i18n';
import { lazy } from './lazy';
import { tidyEditorHtml } from './paste';

const RichText = lazy(() => import('./rich-text').then((module) => module.RichText));

export function HtmlField(props: {
  id: string;
  label: MessageKey;
  toolbar: MessageKey;
  html: string;
  onHtml: (h: string) => void;
}) {
  return (
    <div class="field">
      <span class="field-label" id={`${props.id}-label`}>
        {t(props.label)}
      </span>
      <RichText
        idPrefix={`${props.id}-`}
        label={props.label}
        toolbarLabel={props.toolbar}
        initialHtml={props.html}
        onChange={(editor: Editor) => props.onHtml(tidyEditorHtml(editor.getHTML()))}
      />
    </div>
  );
}
