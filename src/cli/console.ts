/** Console output that honours --quiet and --verbose, and a progress line for stages that take a while. */
export interface Console {
  info(message: string): void;
  verbose(message: string): void;
  warn(message: string): void;
  stage(name: string): void;
  done(): void;
  /**
   * Seconds spent in each stage so far (stages named more than once are summed; the running stage counts up
   * to now), and under `start-up` the time from process start until this console was created (Node start,
   * module loading, option parsing; from the first process's start when bin/huge-pages.cjs ran this one).
   */
  timings(): Record<string, number>;
}

/**
 * `startedEarlierMs`: how much earlier than this process the run started (the first process's start, when
 * bin/huge-pages.cjs relaunched this one), counted in `start-up`.
 */
export function createConsole(options: { quiet: boolean; verbose: boolean; startedEarlierMs?: number }, stream: NodeJS.WriteStream = process.stderr): Console {
  // performance.now() counts from the start of the process (Node's time origin).
  const started = performance.now();
  const startUp = started + (options.startedEarlierMs ?? 0);
  let lastStage: string | undefined;
  let lastStageStart = started;
  const interactive = Boolean(stream.isTTY);
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const spent: Record<string, number> = {};
  // On a terminal the progress line has no newline; a message printed while it shows must first clear it
  // (it may go to another stream on the same terminal), and the line is drawn again after.
  let progressShown = false;
  const showProgress = () => {
    if (!interactive || options.quiet || !lastStage) return;
    stream.write(`\r\x1b[K[${elapsed()} s] ${lastStage}…`);
    progressShown = true;
  };
  const clearProgress = () => {
    if (!progressShown) return;
    stream.write('\r\x1b[K');
    progressShown = false;
  };
  const print = (target: NodeJS.WritableStream, line: string) => {
    clearProgress();
    target.write(line + '\n');
    showProgress();
  };
  const finishStage = () => {
    if (!lastStage) return;
    const seconds = (performance.now() - lastStageStart) / 1000;
    spent[lastStage] = (spent[lastStage] ?? 0) + seconds;
    if (options.verbose && !options.quiet) {
      clearProgress();
      stream.write(`  ${lastStage}: ${seconds.toFixed(2)} s\n`);
    }
  };
  return {
    info: (m) => {
      if (!options.quiet) print(process.stdout, m);
    },
    verbose: (m) => {
      if (options.verbose && !options.quiet) print(process.stdout, m);
    },
    warn: (m) => {
      if (!options.quiet) print(stream, `warning: ${m}`);
    },
    stage: (name) => {
      finishStage();
      lastStage = name;
      lastStageStart = performance.now();
      showProgress();
    },
    done: () => {
      finishStage();
      lastStage = undefined;
      clearProgress();
    },
    timings: () => {
      const now = performance.now();
      const result: Record<string, number> = { 'start-up': startUp / 1000, ...spent };
      if (lastStage) result[lastStage] = (result[lastStage] ?? 0) + (now - lastStageStart) / 1000;
      return result;
    },
  };
}
