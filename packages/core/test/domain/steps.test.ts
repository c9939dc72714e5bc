import { describe, expect, it } from 'vitest';
import { generationSteps, type StepState, type StepsInput } from '../../src/domain';

const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 12, minute));
const TIMES = {
  requestedAt: t(0),
  queuedAt: t(1),
  inProgressAt: t(2),
  downloadingAt: t(5),
  completedAt: t(6),
};

const states = (input: StepsInput): StepState[] => generationSteps(input).map((step) => step.state);

describe('generationSteps', () => {
  it('always lists the five steps in order with their labels', () => {
    expect(generationSteps({ status: 'not_started' }).map((step) => [step.key, step.label])).toEqual([
      ['submitted', 'Submitted'],
      ['queued', 'Queued'],
      ['generating', 'Generating'],
      ['downloading', 'Downloading'],
      ['ready', 'Ready'],
    ]);
  });

  it.each<[string, StepsInput, StepState[]]>([
    ['not started', { status: 'not_started' }, ['pending', 'pending', 'pending', 'pending', 'pending']],
    ['queued', { status: 'queued' }, ['done', 'current', 'pending', 'pending', 'pending']],
    [
      'generating',
      { status: 'in_progress', progress: 40 },
      ['done', 'done', 'current', 'pending', 'pending'],
    ],
    [
      'downloading (100%)',
      { status: 'in_progress', progress: 100 },
      ['done', 'done', 'done', 'current', 'pending'],
    ],
    [
      'downloading (timestamp)',
      { status: 'in_progress', progress: 90, downloadingAt: t(5) },
      ['done', 'done', 'done', 'current', 'pending'],
    ],
    ['completed', { status: 'completed' }, ['done', 'done', 'done', 'done', 'done']],
    [
      'failed while submitted (nothing known)',
      { status: 'failed' },
      ['failed', 'pending', 'pending', 'pending', 'pending'],
    ],
    [
      'failed while queued',
      { status: 'failed', queuedAt: t(1) },
      ['done', 'failed', 'pending', 'pending', 'pending'],
    ],
    [
      'failed while generating (timestamp)',
      { status: 'failed', queuedAt: t(1), inProgressAt: t(2) },
      ['done', 'done', 'failed', 'pending', 'pending'],
    ],
    [
      'failed while generating (progress)',
      { status: 'failed', progress: 30 },
      ['done', 'done', 'failed', 'pending', 'pending'],
    ],
    [
      'failed while downloading',
      { status: 'failed', ...TIMES, completedAt: null, progress: 100 },
      ['done', 'done', 'done', 'failed', 'pending'],
    ],
    [
      'failed where the caller says',
      { status: 'failed', progress: 100, failedDuring: 'queued' },
      ['done', 'failed', 'pending', 'pending', 'pending'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(states(input)).toEqual(expected);
  });

  it('dates done and current steps, never pending ones', () => {
    expect(
      generationSteps({ status: 'in_progress', progress: 50, ...TIMES, downloadingAt: null }).map(
        (step) => step.at,
      ),
    ).toEqual([t(0), t(1), t(2), null, null]);
    expect(generationSteps({ status: 'completed', ...TIMES }).map((step) => step.at)).toEqual([
      t(0),
      t(1),
      t(2),
      t(5),
      t(6),
    ]);
  });

  it('puts the failure time and message on the failed step', () => {
    const steps = generationSteps({
      status: 'failed',
      ...TIMES,
      downloadingAt: null,
      completedAt: null,
      failedAt: t(4),
      errorMessage: 'Blocked by moderation.',
    });
    expect(steps[2]).toEqual({
      key: 'generating',
      label: 'Generating',
      state: 'failed',
      at: t(4),
      detail: 'Blocked by moderation.',
    });
    expect(steps.filter((step) => step.detail !== null)).toHaveLength(1);
  });

  it('a failed step without a failure time keeps the time it was reached', () => {
    const steps = generationSteps({ status: 'failed', queuedAt: t(1) });
    expect(steps[1]).toMatchObject({ state: 'failed', at: t(1), detail: null });
  });
});
