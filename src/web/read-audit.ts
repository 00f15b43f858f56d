import type { FastifyRequest } from 'fastify';
import type { ArticleStatus } from '../domain/index.js';
import { recordAuditOncePerMinute, type AuditQuery, type AuditRecord } from '../services/index.js';
import { actorOf } from './auth.js';
import { contextOf } from './context.js';

/**
 * ASVS 8.3.5: reading what the site's readers cannot (the audit log, the accounts, unpublished
 * articles) is itself audited: who, when, and what was asked, never what was read. Recorded here,
 * where a person asks, not in the services, which tests, the CLI and other services also call; and
 * after the read but before the answer: no entry, no answer. A reader who asks the same again
 * within a minute adds no entry (recordAuditOncePerMinute): reads are not rate-limited.
 */
function auditRead(request: FastifyRequest, record: AuditRecord): Promise<boolean> {
  return recordAuditOncePerMinute(contextOf(request), actorOf(request), record);
}

/** `GET /api/v1/audit`: the filters as applied (an empty one is none) and the page. */
export async function auditLogRead(
  request: FastifyRequest,
  query: AuditQuery,
  page: { readonly page: number; readonly pageSize: number },
): Promise<void> {
  const { user, action, article, from, to } = query;
  await auditRead(request, {
    action: 'audit.read',
    targetType: 'audit',
    // Absent filters are left out of the entry (canonical JSON drops undefined).
    details: {
      user: user || undefined,
      action: action || undefined,
      article,
      from: from || undefined,
      to: to || undefined,
      page: page.page,
      pageSize: page.pageSize,
    },
  });
}

/** `GET /api/v1/users`: the list of accounts has no filter; the entry says it was read. */
export async function userListRead(request: FastifyRequest): Promise<void> {
  await auditRead(request, { action: 'user.list-read', targetType: 'user' });
}

/** One article read in the back office or its preview: recorded unless it is published (public anyway). */
export async function articleRead(
  request: FastifyRequest,
  article: { readonly id: number; readonly status: ArticleStatus },
): Promise<void> {
  if (article.status === 'published') return;
  await auditRead(request, {
    action: 'article.draft-read',
    targetType: 'article',
    targetId: article.id,
    details: { status: article.status },
  });
}
