import type { GazetteError } from '../domain/index.js';

/** The JSON shape of every error answer: a stable code and a message (Chinese, English). */
export function errorBody(error: GazetteError): { code: string; message: string; messageEn: string } {
  return { code: error.code, message: error.messageIn('zh'), messageEn: error.messageIn('en') };
}
