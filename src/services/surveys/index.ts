// 网上调查 (online surveys), the front door: the office writes, publishes and withdraws surveys
// and reads their results (permission survey.manage); the public lists them, answers an open one
// once per phone or address, and reads the results of a closed one.
export {
  publicSurveys,
  publicSurvey,
  publicSurveyResults,
  answerSurvey,
  SURVEY_LIMITS_PER_ADDRESS_HOUR,
} from './answers.js';
export {
  listOfficeSurveys,
  officeSurvey,
  createSurvey,
  updateSurvey,
  setSurveyStatus,
  officeSurveyResults,
  surveyResultsCsv,
} from './office.js';
export * from './views.js';
