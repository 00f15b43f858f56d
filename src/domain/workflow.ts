import type { ArticleStatus } from './article.js';
import type { Action } from './roles.js';

/** The steps of the editorial workflow, as the API names them. */
export type WorkflowStep = 'submit' | 'approve' | 'reject' | 'publish' | 'withdraw';
export const WORKFLOW_STEPS: readonly WorkflowStep[] = ['submit', 'approve', 'reject', 'publish', 'withdraw'];

/** Which permission each step needs (scoped to the article's channel). */
export const STEP_PERMISSION: Readonly<Record<WorkflowStep, Action>> = {
  submit: 'article.submit',
  approve: 'article.approve',
  reject: 'article.approve',
  publish: 'article.publish',
  withdraw: 'article.withdraw',
};

/** Statuses each step may start from. */
const FROM: Readonly<Record<WorkflowStep, readonly ArticleStatus[]>> = {
  submit: ['draft'],
  approve: ['submitted'],
  reject: ['submitted', 'approved'],
  publish: ['approved'],
  withdraw: ['published'],
};

export function canStart(step: WorkflowStep, status: ArticleStatus): boolean {
  return FROM[step].includes(status);
}

export interface ReviewState {
  readonly status: ArticleStatus;
  /** Review levels passed since the last submission. */
  readonly reviewLevel: number;
}

/**
 * Where a step leads. Approval climbs one level at a time; the article is approved when it has
 * passed as many levels as its channel asks for (0 levels: submitting is approving).
 */
export function nextState(step: WorkflowStep, current: ReviewState, reviewLevels: number): ReviewState {
  switch (step) {
    case 'submit':
      return reviewLevels === 0 ? { status: 'approved', reviewLevel: 0 } : { status: 'submitted', reviewLevel: 0 };
    case 'approve': {
      const level = current.reviewLevel + 1;
      return { status: level >= reviewLevels ? 'approved' : 'submitted', reviewLevel: level };
    }
    case 'reject':
      return { status: 'draft', reviewLevel: 0 };
    case 'publish':
      return { status: 'published', reviewLevel: current.reviewLevel };
    case 'withdraw':
      return { status: 'withdrawn', reviewLevel: current.reviewLevel };
  }
}

/**
 * The permission an edit needs in each status: drafts are any writer's; an article in review is
 * changed only by its reviewers; a published one only by a publisher (a correction that goes
 * live at once). A withdrawn article edited by a writer goes back to draft.
 */
export const EDIT_PERMISSION: Readonly<Record<ArticleStatus, Action>> = {
  draft: 'article.edit',
  submitted: 'article.approve',
  approved: 'article.approve',
  published: 'article.publish',
  withdrawn: 'article.edit',
};

export const MAX_REVIEW_LEVELS = 3;
