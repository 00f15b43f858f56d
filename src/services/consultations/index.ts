// 意见征集: drafts put out for comment, the comments from the public, and the 反馈. The front door
// of the consultation services: the office's operations, the public's, and the API's schemas.
export * from './views.js';
export {
  CONSULTATION_ATTACHMENT_MAX_BYTES,
  addConsultationAttachment,
  consultationAttachmentFile,
  consultationComments,
  consultationCommenter,
  consultationDetail,
  consultationPeriod,
  createConsultation,
  decideComment,
  listConsultations,
  publishConsultation,
  publishFeedback,
  removeConsultationAttachment,
  saveFeedback,
  updateConsultation,
  withdrawConsultation,
} from './office.js';
export {
  COMMENT_LIMITS_PER,
  publicConsultation,
  publicConsultationAttachment,
  publicConsultations,
  submitComment,
} from './public.js';
