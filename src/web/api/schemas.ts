import { Type } from '@fastify/type-provider-typebox';

/** Every error answer: a stable code, the message in Chinese and in English. */
export const ErrorSchema = Type.Object({
  code: Type.String({ description: 'Stable error code, e.g. SEARCH_QUERY_EMPTY' }),
  message: Type.String({ description: 'Chinese message' }),
  messageEn: Type.String({ description: 'English message' }),
});
