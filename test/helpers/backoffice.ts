import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/domain/index.js';
import { createUser, type Actor, type ServiceContext, type UserView } from '../../src/services/index.js';

/** A password that passes the rules, shared by the accounts the tests make. */
export const TEST_PASSWORD = 'Gazette-Test-2025';

/** One account per role, on the whole site, named after the role. */
export const ROLE_ACCOUNTS: Readonly<Record<Role, string>> = {
  editor: 'editor',
  reviewer: 'reviewer',
  publisher: 'publisher',
  admin: 'siteadmin',
  security: 'secadmin',
  auditor: 'auditor',
  platform: 'platformadmin',
  office: 'office',
  handler: 'handler',
};

export async function makeUser(
  ctx: ServiceContext,
  username: string,
  roles: { role: Role; channelId?: number | null }[],
  options: { mustChangePassword?: boolean; password?: string } = {},
): Promise<UserView> {
  return createUser(ctx, 'console', {
    username,
    displayName: username,
    password: options.password ?? TEST_PASSWORD,
    roles: roles.map((r) => ({ role: r.role, channelId: r.channelId ?? null })),
    mustChangePassword: options.mustChangePassword ?? false,
  });
}

/**
 * The accounts of these roles only, named as ROLE_ACCOUNTS names them. Each account costs a
 * password hash (scrypt, some 0.2 s of CPU): a suite that signs in as two roles need not make ten.
 */
export async function makeAccountsFor<R extends Role>(
  ctx: ServiceContext,
  roles: readonly R[],
): Promise<Record<R, UserView>> {
  const made: Partial<Record<R, UserView>> = {};
  for (const role of roles) made[role] = await makeUser(ctx, ROLE_ACCOUNTS[role], [{ role }]);
  return made as Record<R, UserView>;
}

/** An account for every role, plus a second reviewer for two-level review. */
export async function makeRoleAccounts(ctx: ServiceContext): Promise<Record<Role, UserView> & { reviewer2: UserView }> {
  const made = await makeAccountsFor(ctx, Object.keys(ROLE_ACCOUNTS) as Role[]);
  const reviewer2 = await makeUser(ctx, 'reviewer2', [{ role: 'reviewer' }]);
  return { ...made, reviewer2 };
}

export interface ApiClient {
  readonly cookie: string;
  readonly csrfToken: string;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

/** Signs in over HTTP and returns a client that sends the cookie and the CSRF token. */
export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<ApiClient> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  if (response.statusCode !== 200)
    throw new Error(`sign-in of ${username} failed: ${response.statusCode} ${response.body}`);
  const setCookie = response.headers['set-cookie'];
  const raw = (Array.isArray(setCookie) ? setCookie[0] : setCookie) ?? '';
  const cookie = raw.split(';')[0] ?? '';
  const csrfToken = response.json<{ csrfToken: string }>().csrfToken;
  return {
    cookie,
    csrfToken,
    request(method, url, body, headers = {}) {
      return app.inject({
        method,
        url,
        headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }), ...headers },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
    },
  };
}

/** A multipart/form-data body with text fields and one file, for upload tests. */
export function multipart(
  fields: Record<string, string>,
  file: { name: string; data: Buffer; type?: string },
): { body: Buffer; contentType: string } {
  const boundary = `----gazette${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The service-level actor of an account (what a session resolves to). */
export function actorFor(user: UserView): Actor {
  return { userId: user.id, userName: user.username, grants: user.roles, ip: null };
}
