// Records what each test file cost in CPU (its import, hooks and tests, any PGlite it runs, and on Linux the processes
// it started and waited for) in the file's meta, for the count reporter's `fileCpu` table: where the suite's CPU goes,
// file by file. A setup file runs again before every test file, also when workers keep their module cache, so the
// first file in a worker also carries loading the workspace.
import { readFileSync } from 'node:fs';
import { afterAll } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    workerCpuMs?: number;
    childCpuMs?: number;
  }
}

// Linux counts the CPU of the children a process has waited for (cutime and cstime in /proc/self/stat, in clock ticks
// of 1/100 s on every Linux Node runs on); elsewhere it is not measured.
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

const started = process.cpuUsage();
const childrenBefore = childrenCpuMs();

// Vitest reads the first parameter's pattern to pick fixtures (none here); the file's own task comes second.
// eslint-disable-next-line no-empty-pattern
afterAll(({}, file) => {
  const { user, system } = process.cpuUsage(started);
  file.meta.workerCpuMs = Math.round((user + system) / 1000);
  const childrenAfter = childrenCpuMs();
  if (childrenBefore !== undefined && childrenAfter !== undefined) file.meta.childCpuMs = childrenAfter - childrenBefore;
});
