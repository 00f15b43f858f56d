// 互动交流: letters from the public (领导信箱, 咨询, 投诉…) on one case engine, with the working-day
// calendar under their deadlines, the sealed personal data, the anti-abuse checks of the public
// forms, and the watch that raises deadline alerts and feeds the health report's 互动回应差 veto.
export {
  workingCalendar,
  calendarYear,
  putCalendarDays,
  removeCalendarDay,
  markCalendarYear,
  type CalendarYear,
} from './calendar.js';
export { shippedCalendarDays } from './shipped-calendar.js';
export {
  letterDesk,
  updateLetterDesk,
  publicDesk,
  listUnits,
  addUnit,
  updateUnit,
  unitCandidates,
  deskOf,
} from './desk.js';
export { submitLetter, followLetter, rateLetter, publicActor, LETTER_LIMITS, type LetterWriter } from './intake.js';
export { listLetters, letterDetail, letterPersonalData, stepLetter } from './handling.js';
export { messagesHealth, raiseLetterAlerts, type RaisedAlert } from './watch.js';
export { resealPersonalData, anonymiseExpiredLetters } from './upkeep.js';
export { importAnsweredLetter, type AnsweredLetter } from './import.js';
export {
  loadDataKeyring,
  newDataKeyHex,
  parseDataKey,
  sealedWithCurrent,
  DATA_KEY_VARIABLE,
  PREVIOUS_DATA_KEY_VARIABLE,
  type DataKey,
  type DataKeyring,
} from './personal-data.js';
export {
  createPowChallenge,
  createTextChallenge,
  solvePowChallenge,
  type PowChallenge,
  type TextChallenge,
} from './challenge.js';
export * from './views.js';
export {
  submitInfoRequest,
  followInfoRequest,
  applicantReplyDocument,
  listInfoRequests,
  infoRequestDetail,
  infoRequestApplicant,
  stepInfoRequest,
  putReplyDocument,
  replyDocument,
  INFO_REQUEST_LIMITS,
  REPLY_DOCUMENT_MAX_BYTES,
} from './info-requests.js';
export * from './info-request-views.js';
// The letter desk's alerts: on the dashboard, and mailed when an SMTP server is configured.
export { letterAlerts, LetterAlertViewSchema, LetterAlertKindSchema, type LetterAlertView } from './alerts.js';
export { mailLetterAlerts, alertMail, ALERT_MAIL_SUBJECT, type AlertMailReport } from './alert-mail.js';
export {
  loadMailSettings,
  smtpMailer,
  MailFailure,
  SMTP_URL_VARIABLE,
  MAIL_FROM_VARIABLE,
  ADMIN_URL_VARIABLE,
  type MailSettings,
  type Mailer,
  type OutgoingMail,
} from './mailer.js';
export { requestTableOf } from './request-table.js';
// The 12345 city hotline link: signed webhooks out (an outbox the scheduler delivers), callbacks in.
export {
  hotlineSettings,
  updateHotlineSettings,
  rotateHotlineSecret,
  hotlineDeliveries,
  verifyHotlineCallback,
  takeHotlineCallback,
  deliverHotlineEvents,
  HOTLINE_CALLBACK_PATH,
  HOTLINE_TIMEOUT_MS,
  type SignedCallback,
  type HotlineDeliveryReport,
  type HotlineDeliveryOptions,
} from './hotline.js';
export { hotlineSignature } from './hotline-outbox.js';
export * from './hotline-views.js';
export {
  letterStatistics,
  publicLetterStatistics,
  LetterStatisticsSchema,
  LetterStatsQuerySchema,
  type LetterStatistics,
  type LetterStatsQuery,
} from './stats.js';
// The files of letters: the writer's (sealed, audited downloads) and the reply's (public with the letter).
export {
  addLetterReplyFile,
  removeLetterReplyFile,
  letterWriterFile,
  letterReplyFile,
  followReplyFile,
  publicReplyFile,
  REPLY_ATTACHMENT_LIMITS,
  type IncomingFile,
  type FileDownload,
} from './attachments.js';
export { LetterAttachmentSchema, type LetterAttachmentView } from './attachment-views.js';
