import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { checkVideoOptions, generationCostUsd } from '@sora-monitor/core/domain';
import { ConfigError, loadConfig } from './config';
import { createUpstreamClient } from './upstream';
import { probeUpstream, type ProbeReport } from './upstream-probe';

/*
 * `pnpm upstream:check [--yes] [--model M] [--size S] [--seconds N] [--prompt P] [--json]`: with the server's own
 * configuration (same variables, same validation), runs ONE short generation against the configured endpoint,
 * follows it, downloads its content and reports what the endpoint said, field by field. A generation costs money,
 * so without --yes it only says what it would do and what that costs, and exits 1.
 */

export interface CheckIo {
  env: Record<string, string | undefined>;
  argv: string[];
  out: (line: string) => void;
  /** For tests: a faster poll than a real endpoint needs. */
  pollMs?: number;
}

const USAGE = 'usage: pnpm upstream:check [--yes] [--model M] [--size WxH] [--seconds N] [--prompt TEXT] [--json]';
const DEFAULT_PROMPT = 'A red ball rolls slowly across a wooden table, static camera';

export async function runUpstreamCheck(io: CheckIo): Promise<number> {
  const { out } = io;
  let args;
  try {
    args = parseArgs({
      args: io.argv,
      options: {
        yes: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        model: { type: 'string' },
        size: { type: 'string' },
        seconds: { type: 'string' },
        prompt: { type: 'string', default: DEFAULT_PROMPT },
        'timeout-min': { type: 'string', default: '20' },
      },
    }).values;
  } catch (error) {
    out(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      out(error.message);
      return 2;
    }
    throw error;
  }
  const upstream = createUpstreamClient(config);
  if (!upstream) {
    out('OPENAI_API_KEY is not set: there is no endpoint to check (the server would use its built-in simulator). See docs/UPSTREAMS.md.');
    return 2;
  }
  // The shortest clip the model offers, unless asked otherwise: the cheapest honest test.
  const model = args.model ?? config.catalog.models[0]!.name;
  const entry = config.catalog.models.find((candidate) => candidate.name === model);
  const seconds = args.seconds === undefined ? (entry ? Math.min(...entry.seconds) : undefined) : Number(args.seconds);
  const checked = checkVideoOptions(config.catalog, { model, size: args.size, seconds });
  if (!checked.ok) {
    out(checked.issues.map((issue) => issue.message).join('\n'));
    return 2;
  }
  const request = { prompt: args.prompt, ...checked.options };
  const cost = generationCostUsd(request.model, request.size, request.seconds, config.catalog);
  const price = cost === null ? 'an unknown price (this server knows none for this model)' : `$${cost.toFixed(2)} at list price`;
  const plan = `One ${request.seconds} s ${request.size} generation with ${request.model} at ${upstream.baseURL} (UPSTREAM_PRESET=${config.upstream.preset}, auth header ${config.upstream.authHeader}), costing ${price}.`;
  if (!args.yes) {
    out(`${plan}\nNothing was sent. Run again with --yes to start it.`);
    return 1;
  }
  out(`${plan}\nStarted; following it (this takes as long as the endpoint needs)…`);
  const report = await probeUpstream(upstream.client, request, {
    pollMs: io.pollMs ?? 5_000,
    timeoutMs: Number(args['timeout-min']) * 60_000,
    onPoll: args.json ? undefined : (status, progress) => out(`  status ${JSON.stringify(status)}, progress ${JSON.stringify(progress)}`),
  });
  if (args.json) out(JSON.stringify({ request, baseURL: upstream.baseURL, preset: config.upstream.preset, report }, null, 2));
  else for (const line of reportLines(report)) out(line);
  return report.content.some((variant) => variant.variant === 'video' && variant.bytesLookLike === 'mp4') ? 0 : 1;
}

/** The report as a person reads it: one line per field, with what to look at. */
export function reportLines(report: ProbeReport): string[] {
  if (report.createError) return [`create:        refused: ${report.createError}`];
  const lines = [
    `job id:        ${report.jobId}`,
    `status values: ${report.statuses.join(', ')}${report.timedOut ? ' (gave up waiting)' : ''}`,
    `final status:  ${report.finalStatus}${report.error ? ` (error ${JSON.stringify(report.error)})` : ''}`,
    `progress:      ${report.progress.join(', ')}`,
    `created_at:    ${report.timestamps.created_at.join(', ')}`,
    `completed_at:  ${report.timestamps.completed_at.join(', ')}`,
    `expires_at:    ${report.timestamps.expires_at.join(', ')}`,
    `model echoed:  ${report.modelEchoed.join(', ')}`,
    `polls:         ${report.polls}`,
    `list:          ${report.listError ? `failed: ${report.listError}` : report.listedByList ? 'the job is listed (lost-create reconciliation can find it)' : 'the job is NOT listed (lost-create reconciliation cannot find it; see docs/UPSTREAMS.md)'}`,
  ];
  for (const variant of report.content) {
    const detail = variant.error
      ? `failed (${variant.httpStatus ?? 'no status'}): ${variant.error}`
      : `${variant.httpStatus} ${variant.contentType ?? 'no content-type'}, ${variant.bytes} bytes that look like ${variant.bytesLookLike}${variant.redirectedTo ? `, redirected to ${variant.redirectedTo}` : ''}`;
    lines.push(`content ${variant.variant}: ${detail}`);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runUpstreamCheck({ env: process.env, argv: process.argv.slice(2), out: (line) => process.stdout.write(`${line}\n`) });
  process.exit(code);
}
