import type { GazetteError } from '../domain/index.js';
import { ArticleVersionConflict, WordingBlocked } from '../services/index.js';

/** The JSON shape of every error answer: a stable code and a message (Chinese, English). */
export function errorBody(
  error: GazetteError,
): { code: string; message: string; messageEn: string } & Record<string, unknown> {
  const body = { code: error.code, message: error.messageIn('zh'), messageEn: error.messageIn('en') };
  if (error instanceof ArticleVersionConflict) return { ...body, current: error.current, changed: [...error.changed] };
  if (error instanceof WordingBlocked) return { ...body, findings: [...error.findings] };
  return body;
}
