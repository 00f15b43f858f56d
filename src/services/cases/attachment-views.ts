import { Type, type Static } from 'typebox';
import { Time } from '../views.js';

/** A letter's file as the back office and the writer see it listed (the bytes come from its own address). */
export const LetterAttachmentSchema = Type.Object({
  id: Type.Integer(),
  fileName: Type.String({
    description: 'The writer’s file: its name only for readers of personal data (附件N otherwise)',
  }),
  mimeType: Type.String(),
  size: Type.Integer({ description: 'Bytes' }),
  uploadedBy: Type.String(),
  uploadedAt: Time,
  url: Type.String({ description: 'Where to download it (the back office’s, the writer’s or the public address)' }),
});
export type LetterAttachmentView = Static<typeof LetterAttachmentSchema>;

/** The desk's limits on the writer's files (part of the desk settings). */
export const AttachmentLimitsSchema = {
  attachmentsMax: Type.Integer({ minimum: 0, maximum: 10, description: 'Files a writer may attach (default 3)' }),
  attachmentMb: Type.Integer({ minimum: 1, maximum: 20, description: 'The largest file, in MB (default 10)' }),
};
