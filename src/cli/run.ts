/**
 * `occupy`'s entry (`main`): parses the command line, hands `occupy gui` to the local server, takes over a
 * relaunch's facts (./relaunch.ts), runs the job (./execute.ts: read → settings → estimate → modify → write)
 * and turns what went wrong into one line and an exit code. The numerical work is in src/core.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { buildCommand, expandShortFlags, type CliOptions } from './options.js';
import { InputError } from '../run/errors.js';
import { MapFormatError } from '../format/mrc-format.js';
import { FileError } from '../io/system-errors.js';
import { createConsole } from './console.js';
import { relaunchMilliseconds, takeRelaunch } from './relaunch.js';
import { hugePageFactsOfThisProcess, typedArraysAloneGetHugePages } from './huge-page-arrays.js';
import { resolveRun, type RunPlan } from './plan.js';
import { executeRun } from './execute.js';
import { shellQuote } from '../run/command-line.js';

async function packageVersion(): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(path.join(here, candidate), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'occupy' && pkg.version) return pkg.version;
    } catch {
      // try the next layout (src/ vs dist/src/)
    }
  }
  return 'unknown';
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: readonly string[]): Promise<number> {
  // As the process started: takeRelaunch gives the user's own value back.
  const tunablesAtStart = process.env.GLIBC_TUNABLES;
  const relaunch = takeRelaunch();
  // `occupy gui`: the web app on localhost (loaded only when asked for).
  if (argv[0] === 'gui') return (await import('./gui-server.js')).runGui(argv.slice(1));
  const args = expandShortFlags(argv);
  const version = await packageVersion();
  const showAll = args.includes('--help-all');
  const command = buildCommand(version, showAll);
  command.exitOverride();
  command.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(s.startsWith('error:') ? `occupy: ${withoutParserPreamble(s.slice('error: '.length))}` : s),
  });
  let options: CliOptions;
  try {
    command.parse(args, { from: 'user' });
    options = command.opts<CliOptions>();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  if (command.args.length > 0) {
    process.stderr.write(`occupy: ${unexpectedArgument(command.args[0], Boolean(options.inputMap))}\n`);
    return 2;
  }
  if (options.helpAll) {
    process.stdout.write(command.helpInformation());
    return 0;
  }
  const verbose = Boolean(options.verbose);
  const startedEarlierMs = relaunch ? relaunchMilliseconds(relaunch) : 0;
  const out = createConsole({ quiet: Boolean(options.quiet), verbose, startedEarlierMs });
  if (relaunch) out.verbose(`Relaunched with transparent huge pages (${relaunch.why}), ${(startedEarlierMs / 1000).toFixed(2)} s after the first start`);
  let plan: RunPlan;
  try {
    plan = resolveRun(options, workingDirectory(), version);
  } catch (error) {
    return reportFailure(error, verbose);
  }
  if (!plan.input && !plan.emdbId) {
    process.stdout.write(command.helpInformation());
    return 2;
  }
  try {
    const hugePageArrays = () => typedArraysAloneGetHugePages(hugePageFactsOfThisProcess(tunablesAtStart));
    await executeRun(plan, out, { hugePageArrays, relaunched: relaunch !== undefined });
    return 0;
  } catch (error) {
    out.done();
    return reportFailure(error, verbose);
  }
}

/** The working directory; one that was removed while the shell was in it is the user's to change. */
function workingDirectory(): string {
  try {
    return process.cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new InputError('the working directory no longer exists (it was removed while in use): change to an existing folder and run again.');
  }
}

/**
 * Commander words a value our parsers refuse as "option '-i, --input-map <file>' argument 'x' is invalid. " before
 * their message, which already names the option and the value: only the message is kept.
 */
function withoutParserPreamble(message: string): string {
  const refused = /^option '[^']*' argument [\s\S]* is invalid\. ([\s\S]+)$/.exec(message);
  if (refused) return refused[1];
  // The last option without its value: said as the parsers say it.
  const missing = /^option '(?:(-\w), )?(--[\w-]+)[^']*' argument missing(\s*)$/.exec(message);
  return missing ? `${missing[1] ?? missing[2]} needs a value.${missing[3]}` : message;
}

/** What to say of an argument that belongs to no option: most often a map given without -i, or a second map. */
function unexpectedArgument(argument: string, inputGiven: boolean): string {
  if (/\.(mrc|map|ccp4|rec|mrcs)(\.gz)?$/i.test(argument)) {
    return inputGiven
      ? `one map per run: unexpected argument '${argument}' (see occupy --help)`
      : `give the map with -i: occupy -i ${shellQuote([argument])} (see occupy --help)`;
  }
  return `unexpected argument '${argument}' (every input is given with an option, e.g. -i for the map; see occupy --help)`;
}

function reportFailure(error: unknown, verbose: boolean): number {
  if (error instanceof InputError || error instanceof MapFormatError || error instanceof FileError) {
    // A user's mistake: the one line says what to fix, with --verbose too (where in this program it was
    // noticed helps nobody; stack traces are for internal errors).
    process.stderr.write(`occupy: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`occupy: internal error: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
  else process.stderr.write('occupy: run again with --verbose for details, and please report it.\n');
  return 3;
}
