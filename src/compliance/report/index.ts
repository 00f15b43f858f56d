// The health report: 单项否决 items and scored items with what to do, and the score.
export * from './schema.js';
export {
  buildHealthReport,
  VETO_THRESHOLDS,
  type ReportInput,
  type WordingFindingInput,
  type MessagesInput,
} from './build.js';
export {
  servicesVeto,
  interpretationsItem,
  SERVICES_FAULT_THRESHOLD,
  type ServicesInput,
  type InterpretationsInput,
} from './content.js';
export { tamperVeto, TAMPER_TITLE, type TamperInput } from './tamper.js';
