import { interrupted } from './errors';
import { EXIT } from './exit-codes';
import { run } from './program';

// The process edge: the real streams, environment and Ctrl-C. Everything else takes them as arguments.
const controller = new AbortController();
process.once('SIGINT', () =>
  controller.abort(interrupted('Interrupted. A generation already started goes on on the server.')),
);
process.once('SIGTERM', () => controller.abort(interrupted()));
// `sora-monitor ls | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

const code = await run(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
// Nothing should keep the process alive now; if a stray socket does, do not hang the user's shell on it.
setTimeout(() => process.exit(code), 1_000).unref();
