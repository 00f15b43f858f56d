// Sharing between columns and sites: an article shown in more columns (引用, placements) and
// 信息报送 (submissions from one site to another site's column, adopted or returned), with the
// statistics districts publish (信息报送考核).
export {
  placeArticle,
  stepPlacement,
  removePlacement,
  listPlacements,
  placementsOfArticle,
  type PlacementStepInput,
} from './placements.js';
export {
  submitArticle,
  submissionTargets,
  listSubmissions,
  adoptSubmission,
  returnSubmission,
  setSubmissionColumn,
  submissionColumnsOf,
  submissionStats,
  type SubmissionQuery,
} from './submissions.js';
export * from './views.js';
