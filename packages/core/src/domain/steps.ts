import type { GenerationStatus } from './status';

export type StepKey = 'submitted' | 'queued' | 'generating' | 'downloading' | 'ready';
export type StepState = 'done' | 'current' | 'pending' | 'failed';

export interface GenerationStep {
  key: StepKey;
  label: string;
  state: StepState;
  /** When the step was reached (for a failed step: when it failed); null when unknown or not reached. */
  at: Date | null;
  /** The error message on the failed step; null elsewhere. */
  detail: string | null;
}

export interface StepsInput {
  status: GenerationStatus;
  /** In progress at 100% means generated and now downloading, even before `downloadingAt` is known. */
  progress?: number | null;
  requestedAt?: Date | null;
  queuedAt?: Date | null;
  inProgressAt?: Date | null;
  downloadingAt?: Date | null;
  completedAt?: Date | null;
  failedAt?: Date | null;
  errorMessage?: string | null;
  /** The step that failed; inferred from progress and the timestamps when absent. */
  failedDuring?: StepKey | null;
}

const STEPS: readonly { key: StepKey; label: string; at: (input: StepsInput) => Date | null | undefined }[] =
  [
    { key: 'submitted', label: 'Submitted', at: (input) => input.requestedAt },
    { key: 'queued', label: 'Queued', at: (input) => input.queuedAt },
    { key: 'generating', label: 'Generating', at: (input) => input.inProgressAt },
    { key: 'downloading', label: 'Downloading', at: (input) => input.downloadingAt },
    { key: 'ready', label: 'Ready', at: (input) => input.completedAt },
  ];

/**
 * The timeline the UI shows: Submitted -> Queued -> Generating -> Downloading -> Ready. Steps before the
 * current one are done, later ones pending; a failed generation marks the step where it failed as failed
 * (with the error) and leaves the later steps pending. Always five steps, in that order.
 */
export function generationSteps(input: StepsInput): GenerationStep[] {
  const position = currentPosition(input);
  return STEPS.map(({ key, label, at }, index): GenerationStep => {
    const reachedAt = at(input) ?? null;
    if (position.index === -1 || index > position.index)
      return { key, label, state: 'pending', at: null, detail: null };
    if (index < position.index) return { key, label, state: 'done', at: reachedAt, detail: null };
    if (position.state === 'failed') {
      return {
        key,
        label,
        state: 'failed',
        at: input.failedAt ?? reachedAt,
        detail: input.errorMessage ?? null,
      };
    }
    return { key, label, state: position.state, at: reachedAt, detail: null };
  });
}

/** Index of the step the generation is at (-1: none yet) and that step's state. */
function currentPosition(input: StepsInput): { index: number; state: StepState } {
  switch (input.status) {
    case 'not_started':
      return { index: -1, state: 'pending' };
    case 'queued':
      return { index: indexOf('queued'), state: 'current' };
    case 'in_progress':
      return { index: indexOf(isDownloading(input) ? 'downloading' : 'generating'), state: 'current' };
    case 'completed':
      return { index: indexOf('ready'), state: 'done' };
    case 'failed':
      return { index: indexOf(input.failedDuring ?? inferFailedStep(input)), state: 'failed' };
  }
}

function isDownloading(input: StepsInput): boolean {
  return Boolean(input.downloadingAt) || (input.progress ?? 0) >= 100;
}

/** The latest step there is evidence of; Submitted when there is none (e.g. refused at creation). */
function inferFailedStep(input: StepsInput): StepKey {
  if (isDownloading(input)) return 'downloading';
  if (input.inProgressAt || (input.progress ?? 0) > 0) return 'generating';
  if (input.queuedAt) return 'queued';
  return 'submitted';
}

function indexOf(key: StepKey): number {
  return STEPS.findIndex((step) => step.key === key);
}
