// A vitest reporter that writes how many tests passed, failed and were skipped in each project (unit, pglite,
// postgres) to the JSON file named by VITEST_COUNTS_FILE. A file that could not even load counts as one failure, and
// so does each unhandled error, so a broken run can never read as "0 failed". Each failure is also named (file, test and
// the first line of its error), so the tail of a CI log says what failed.
import { writeFileSync } from 'node:fs';

export default class CountReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const projects = {};
    const failures = [];
    const durations = [];
    const cpu = [];
    const firstLine = (errors) => String(errors?.[0]?.message ?? '').split('\n')[0].slice(0, 200);
    const tally = (name) => (projects[name] ??= { passed: 0, failed: 0, skipped: 0, files: 0 });
    for (const module of testModules) {
      const counts = tally(module.project.name || 'default');
      counts.files += 1;
      const file = `${module.project.name} ${module.moduleId.replace(process.cwd() + '/', '')}`;
      durations.push({ file, ms: Math.round(module.diagnostic().duration) });
      const { workerCpuMs, childCpuMs } = module.meta();
      if (workerCpuMs !== undefined) cpu.push({ file, ms: workerCpuMs + (childCpuMs ?? 0), workerMs: workerCpuMs, childrenMs: childCpuMs });
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests += 1;
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') {
          counts.failed += 1;
          failures.push(`${file} > ${test.fullName}: ${firstLine(test.result().errors)}`);
        }
        else counts.skipped += 1;
      }
      // A failing beforeAll/afterAll is a failure even when every test passed.
      for (const suite of module.children.allSuites()) {
        const hookErrors = suite.errors?.() ?? [];
        if (hookErrors.length === 0) continue;
        counts.failed += 1;
        failures.push(`${file} > ${suite.fullName}: ${firstLine(hookErrors)}`);
      }
      // A file that failed to load, or a failing top-level hook, is a failure even when no test says so.
      const moduleErrors = module.errors?.().length ?? 0;
      if (moduleErrors > 0 || (tests === 0 && module.state() === 'failed')) {
        counts.failed += 1;
        failures.push(`${file}: ${firstLine(module.errors?.()) || 'the file failed'}`);
      }
    }
    const countsFile = process.env.VITEST_COUNTS_FILE;
    if (countsFile) writeFileSync(countsFile, JSON.stringify({ projects, failures, unhandledErrors: unhandledErrors.length, fileDurations: durations.sort((a, b) => b.ms - a.ms), fileCpu: cpu.sort((a, b) => b.ms - a.ms) }, null, 2));
  }
}
