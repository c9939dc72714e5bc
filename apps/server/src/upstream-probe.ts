import type OpenAI from 'openai';

/*
 * One short generation against an endpoint, recording what it answered field by field (raw, before the product
 * normalises anything): the status values, how progress and timestamps are written, whether the job shows up in the
 * list, and what each content variant really is. Used by `pnpm upstream:check` (upstream-check.ts).
 */

export interface ProbeRequest {
  prompt: string;
  model: string;
  size: string;
  seconds: number;
}

export interface VariantReport {
  variant: 'video' | 'thumbnail' | 'spritesheet';
  httpStatus: number | null;
  contentType: string | null;
  /** What the first bytes are (mp4, webp, jpeg, png, gif), whatever the header says. */
  bytesLookLike: string;
  bytes: number;
  /** The final URL when the endpoint redirected (e.g. to a signed storage URL), else null. */
  redirectedTo: string | null;
  error: string | null;
}

export interface ProbeReport {
  jobId: string | null;
  createError: string | null;
  statuses: string[];
  finalStatus: string | null;
  progress: string[];
  timestamps: Record<'created_at' | 'completed_at' | 'expires_at', string[]>;
  modelEchoed: string[];
  error: unknown;
  polls: number;
  listedByList: boolean | null;
  listError: string | null;
  content: VariantReport[];
  timedOut: boolean;
}

/** How a timestamp field is written: unix seconds, unix milliseconds, ISO 8601 string, missing, or other. */
export function timestampForm(value: unknown): string {
  if (value === undefined || value === null) return 'missing';
  if (typeof value === 'number') return value >= 1e11 ? 'unix milliseconds' : 'unix seconds';
  if (typeof value === 'string') return Number.isNaN(Date.parse(value)) ? `string ${JSON.stringify(value)}` : 'ISO 8601 string';
  return typeof value;
}

/** How progress is written: a number, a numeric string (with or without %), missing, or other. */
export function progressForm(value: unknown): string {
  if (value === undefined || value === null) return 'missing';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return /^\s*\d+(\.\d+)?\s*%\s*$/.test(value) ? 'string with %' : /^\s*\d+(\.\d+)?\s*$/.test(value) ? 'numeric string' : `string ${JSON.stringify(value)}`;
  return typeof value;
}

/** What the first bytes of a body are. */
export function sniff(bytes: Uint8Array): string {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.slice(from, to));
  if (ascii(4, 8) === 'ftyp') return 'mp4';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  if (bytes.length === 0) return 'empty';
  return 'unknown';
}

const addOnce = (list: string[], value: string) => (list.includes(value) ? list : list.push(value));
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const TERMINAL = /^(completed|succeeded|success|failed|failure|error|expired|cancell?ed)$/i;

async function fetchVariant(client: OpenAI, jobId: string, variant: VariantReport['variant']): Promise<VariantReport> {
  try {
    const response = await client.videos.downloadContent(jobId, { variant }, { maxRetries: 0 });
    const body = new Uint8Array(await response.arrayBuffer());
    const requested = `${client.baseURL.replace(/\/$/, '')}/videos/${jobId}/content`;
    return {
      variant,
      httpStatus: response.status,
      contentType: response.headers.get('content-type'),
      bytesLookLike: sniff(body),
      bytes: body.byteLength,
      redirectedTo: response.redirected && !response.url.startsWith(requested) ? new URL(response.url).origin + new URL(response.url).pathname : null,
      error: null,
    };
  } catch (error) {
    const status = (error as { status?: number }).status ?? null;
    return { variant, httpStatus: status, contentType: null, bytesLookLike: 'none', bytes: 0, redirectedTo: null, error: messageOf(error) };
  }
}

/** Runs the generation, follows it to an end (or `timeoutMs`), lists, and downloads each variant. */
export async function probeUpstream(
  client: OpenAI,
  request: ProbeRequest,
  options: { pollMs: number; timeoutMs: number; onPoll?: (status: string, progress: unknown) => void },
): Promise<ProbeReport> {
  const report: ProbeReport = {
    jobId: null,
    createError: null,
    statuses: [],
    finalStatus: null,
    progress: [],
    timestamps: { created_at: [], completed_at: [], expires_at: [] },
    modelEchoed: [],
    error: null,
    polls: 0,
    listedByList: null,
    listError: null,
    content: [],
    timedOut: false,
  };
  const record = (raw: Record<string, unknown>) => {
    const status = String(raw.status);
    addOnce(report.statuses, status);
    report.finalStatus = status;
    addOnce(report.progress, progressForm(raw.progress));
    for (const field of ['created_at', 'completed_at', 'expires_at'] as const) addOnce(report.timestamps[field], timestampForm(raw[field]));
    addOnce(report.modelEchoed, String(raw.model));
    if (raw.error) report.error = raw.error;
    options.onPoll?.(status, raw.progress);
    return status;
  };

  let created: Record<string, unknown>;
  try {
    created = (await client.videos.create(
      { prompt: request.prompt, model: request.model, size: request.size as OpenAI.Videos.VideoSize, seconds: String(request.seconds) as OpenAI.Videos.VideoSeconds },
      { maxRetries: 0 },
    )) as unknown as Record<string, unknown>;
  } catch (error) {
    report.createError = messageOf(error);
    return report;
  }
  report.jobId = String(created.id);
  let status = record(created);
  const deadline = Date.now() + options.timeoutMs;
  while (!TERMINAL.test(status.trim())) {
    if (Date.now() > deadline) {
      report.timedOut = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    report.polls += 1;
    try {
      status = record((await client.videos.retrieve(report.jobId, { maxRetries: 0 })) as unknown as Record<string, unknown>);
    } catch (error) {
      addOnce(report.statuses, `(retrieve failed: ${messageOf(error)})`);
    }
  }
  try {
    const page = await client.videos.list({ limit: 50, order: 'desc' }, { maxRetries: 0 });
    report.listedByList = page.data.some((video) => video.id === report.jobId);
  } catch (error) {
    report.listError = messageOf(error);
  }
  if (/^(completed|succeeded|success)$/i.test(status.trim())) {
    for (const variant of ['video', 'thumbnail', 'spritesheet'] as const) report.content.push(await fetchVariant(client, report.jobId, variant));
  }
  return report;
}
