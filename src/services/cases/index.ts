// 互动交流: letters from the public (领导信箱, 咨询, 投诉…) on one case engine, with the working-day
// calendar under their deadlines, the sealed personal data, the anti-abuse checks of the public
// forms, and the watch that raises deadline alerts and feeds the health report's 互动回应差 veto.
export { workingCalendar, calendarYear, putCalendarDays, removeCalendarDay, type CalendarYear } from './calendar.js';
export { shippedCalendarDays } from './shipped-calendar.js';
export { letterDesk, updateLetterDesk, publicDesk, listUnits, addUnit, updateUnit, deskOf } from './desk.js';
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
