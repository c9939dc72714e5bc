import { AppError } from './errors';
import { assertCanStartGeneration } from './reset';
import type { GenerationState } from './state';
import type { GenerationStatus } from './status';

export const PROMPT_EDITED_MESSAGE = 'Prompt edited for the next attempt.';

export interface PromptEditPlan {
  prompt: string;
  event: {
    type: 'prompt_edited';
    fromStatus: GenerationStatus;
    toStatus: GenerationStatus;
    message: string;
    data: { previousPrompt: string };
  };
}

/**
 * A new prompt for the next attempt of a video ("Edit prompt and retry"): allowed while nothing runs and nothing is
 * finished, so a running job and a finished video always match the prompt they were made from. Null when the prompt
 * is unchanged (nothing to write). The attempt rows keep the prompt each one sent.
 */
export function planPromptEdit(
  state: Pick<GenerationState, 'status'> & { prompt: string },
  prompt: string,
): PromptEditPlan | null {
  if (state.status === 'completed') {
    throw new AppError('BAD_REQUEST', 'This video is complete; duplicate it to generate from another prompt.', { field: 'prompt' });
  }
  assertCanStartGeneration(state);
  if (prompt === state.prompt) return null;
  return {
    prompt,
    event: {
      type: 'prompt_edited',
      fromStatus: state.status,
      toStatus: state.status,
      message: PROMPT_EDITED_MESSAGE,
      data: { previousPrompt: state.prompt },
    },
  };
}
