import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentJob, type SimContext } from '../context';
import { invalidRequest } from '../errors';
import type { Job, NewJob } from '../jobs';
import { ScenarioMarkerError, parseScenario, withoutFaults, type Scenario } from '../scenarios';

/** Makes the job and answers with it, or, for `[sim:lost-create]`, makes it and cuts the connection instead. */
export function createJob(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  input: NewJob,
): Record<string, unknown> | FastifyReply {
  const job: Job = ctx.store.create(input);
  ctx.log.setVideoId(request.raw, job.id);
  if (input.scenario.lostCreate) {
    // The job exists from here on; the client just never hears about it.
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  }
  return presentJob(ctx, job);
}

/** The prompt's scenario, minus its faults once `[sim:faults-for=N]` jobs with this prompt already exist. */
export function scenarioFor(ctx: SimContext, prompt: string): Scenario {
  let scenario: Scenario;
  try {
    scenario = parseScenario(prompt);
  } catch (error) {
    if (error instanceof ScenarioMarkerError)
      throw invalidRequest(error.message, 'prompt', 'invalid_simulator_marker');
    throw error;
  }
  if (scenario.faultsFor === null) return scenario;
  return ctx.store.countByPrompt(prompt) >= scenario.faultsFor ? withoutFaults(scenario) : scenario;
}

/** A video another is made from (remix, edit, extension) must have completed. */
export function completedSource(ctx: SimContext, source: Job): void {
  const { status } = ctx.store.observe(source);
  if (status !== 'completed') {
    throw invalidRequest(
      `Video '${source.id}' is ${status}; only completed videos can be remixed, edited or extended.`,
      'video_id',
      'invalid_state',
    );
  }
}
