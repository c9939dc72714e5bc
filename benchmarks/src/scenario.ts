/** What every scenario file exports, and the one table row it produces. */

export interface RunOptions {
  /** Tiny sizes so that every scenario runs in seconds (CI keeps them working; the figures mean little). */
  quick: boolean;
  /** Also run the stretch sizes (fan-out with 10,000 subscribers). */
  stretch: boolean;
  /** Progress lines (stderr); the table goes to stdout. */
  log: (message: string) => void;
}

export interface ScenarioResult {
  /** The figures measured under the scenario's load. */
  measured: string;
  /** The same figures for the in-run baseline. */
  baseline: string;
  /** The headline ratio (measured ÷ baseline, or measured ÷ ideal). */
  ratio: number;
  /** Further ratios worth a column of their own (e.g. trivial ÷ fastify). */
  extraRatios?: string;
  goal: string;
  /** Whether the goal was met; null when the scenario has no pass mark. */
  met: boolean | null;
  /** Sizes and settings actually used (N, M, C, durations): printed under the table. */
  setup: string;
  /** Anything else measured that explains the figures (printed under the table). */
  details?: string[];
}

export interface Scenario {
  name: string;
  title: string;
  run(options: RunOptions): Promise<ScenarioResult>;
}
