import { generationSteps, type StepsInput } from '@sora-monitor/core/domain';
import { formatWhen } from '../lib/format';

const STATE_TEXT = { done: 'done', current: 'in progress', pending: 'not reached yet', failed: 'failed here' } as const;
const ICON = { done: '✓', current: '●', pending: '', failed: '✕' } as const;

/** Submitted → Queued → Generating → Downloading → Ready, or Failed at the step where it failed, with times. */
export function GenerationSteps({ input }: { input: StepsInput }) {
  const steps = generationSteps(input);
  const now = new Date();
  return (
    <ol className="steps" aria-label="Generation steps" data-testid="steps">
      {steps.map((step) => (
        <li
          key={step.key}
          className={`step step-${step.state}`}
          data-state={step.state}
          data-step={step.key}
          aria-current={step.state === 'current' ? 'step' : undefined}
        >
          <span className="step-dot" aria-hidden="true">
            {ICON[step.state]}
          </span>
          <span className="step-text">
            <span className="step-label">
              {step.state === 'failed' ? `Failed while ${step.label.toLowerCase()}` : step.label}
              <span className="visually-hidden">, {STATE_TEXT[step.state]}</span>
            </span>
            <span className="step-time">
              {step.at ? <time dateTime={step.at.toISOString()}>{formatWhen(step.at, now)}</time> : '\u00a0'}
            </span>
          </span>
        </li>
      ))}
    </ol>
  );
}
