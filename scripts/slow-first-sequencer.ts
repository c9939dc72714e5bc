import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's order (by the durations it cached, else by size, project after project) with the files that start
 * processes and wait on them moved to the front. A fresh clone has no cached durations, so the CLI and process tests,
 * which take 30–75 s each, used to start last and leave the run waiting on them with cores idle.
 */
export function slowFirstSequencer(root: string, slow: readonly string[]) {
  const slowFiles = new Set(slow);
  return class SlowFirstSequencer extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const sorted = await super.sort(files);
      const isSlow = (file: TestSpecification) => slowFiles.has(path.relative(root, file.moduleId));
      return [...sorted.filter(isSlow), ...sorted.filter((file) => !isSlow(file))];
    }
  };
}
