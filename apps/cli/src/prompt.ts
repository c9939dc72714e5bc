import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { Cli } from './context';

/** Whether the user can be asked questions (both ends are a terminal, and not --json). */
export function canPrompt(cli: Cli): boolean {
  return Boolean(cli.stdin.isTTY && cli.stderr.isTTY) && !cli.json;
}

/** Asks one question on the terminal; `secret` answers are not echoed. */
export async function ask(cli: Cli, question: string, options: { secret?: boolean } = {}): Promise<string> {
  cli.stderr.write(question);
  // For a secret, readline echoes into a sink; the question itself was written above.
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const rl = createInterface({
    input: cli.stdin,
    output: options.secret ? sink : cli.stderr,
    terminal: true,
  });
  try {
    const answer = await rl.question('', { signal: cli.signal });
    if (options.secret) cli.stderr.write('\n');
    return answer.trim();
  } finally {
    rl.close();
  }
}

/** The first line of piped input: `printf '%s' "$TOKEN" | sora-monitor login`. */
export async function readFirstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').trim();
}
