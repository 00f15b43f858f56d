// Accounts: sign-in and sessions, passwords and one-time codes, users and their roles, the
// audit log as the auditor reads it.
export { listAuditEntries, type AuditQuery } from './audit-views.js';
export {
  login,
  logout,
  resolveSession,
  changePassword,
  beginTotp,
  confirmTotp,
  listSessions,
  endSession,
  endOtherSessions,
  confirmPassword,
  requireRecentProof,
  AUTH_POLICY,
  type SessionListItem,
  type ActiveSession,
  type SignedIn,
  type Credentials,
} from './auth.js';
export {
  createUser,
  listUsers,
  updateUser,
  setOwnEmail,
  accountEmail,
  userView,
  type NewUser,
  type UserPatch,
  type AccountManager,
} from './users.js';
export { hashPassword, verifyPassword } from './passwords.js';
export {
  serverKeys,
  keysOf,
  newSecretKey,
  checkServerKey,
  sealSecret,
  openSecret,
  type ServerKeys,
} from './server-key.js';
export { totpCode, base32Decode, checkTotp } from './totp.js';
