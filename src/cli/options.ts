/**
 * The command line, flag for flag the published OccuPy's (its typer options), parsed with commander.
 *
 * OccuPy has three two-letter short flags (`-am`, `-at`, `-lp`) that commander (like POSIX) does not allow;
 * they are rewritten to their long forms before parsing and shown as OccuPy users know them in the help.
 */
import { Command, Option, InvalidArgumentError, type Help } from 'commander';
import { InputError } from '../run/errors.js';
import { DEFAULT_MAX_BOX, DEFAULT_MIN_VIS_SCALE, DEFAULT_SCALE_LIMIT } from '../run/settings.js';
import { emdbNumber, emdbServer } from './emdb.js';

export const MULTI_CHAR_SHORT_FLAGS: Record<string, string> = {
  '-am': '--amplify',
  '-at': '--attenuate',
  '-lp': '--lowpass',
};

export function expandShortFlags(argv: readonly string[]): string[] {
  return argv.map((arg) => {
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const long = MULTI_CHAR_SHORT_FLAGS[flag];
    return long ? long + (eq > 0 ? arg.slice(eq) : '') : arg;
  });
}

/**
 * The flags of the command (long and short), filled as options are added: a value that is one of them is the
 * next option, the value before it forgotten (`-i --occupancy`, `-am --plot`). Any other value is taken as
 * given, even one starting with '-' (`-o -sharpened.mrc`, `--output-dir=-out`).
 */
const KNOWN_FLAGS = new Set<string>([...Object.keys(MULTI_CHAR_SHORT_FLAGS), '-h', '--help', '--version']);
const looksLikeOption = (value: string) => KNOWN_FLAGS.has(value.split('=')[0]);

function missingValue(name: string, value: string): InvalidArgumentError {
  return new InvalidArgumentError(`${name} needs a value, but the next argument is the option '${value}'.`);
}

/** A decimal number as Python's float() reads one (not JavaScript's '0x10', '0b1' or ''). */
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function realNumber(name: string, check?: (v: number) => string | undefined) {
  return (value: string): number => {
    if (looksLikeOption(value)) throw missingValue(name, value);
    const v = Number(value);
    if (!DECIMAL.test(value) || !Number.isFinite(v)) throw new InvalidArgumentError(`${name} must be a number, got '${value}'.`);
    const problem = check?.(v);
    if (problem) throw new InvalidArgumentError(`${name} ${problem}, got ${value}.`);
    return v;
  };
}

function integer(name: string, check?: (v: number) => string | undefined) {
  return (value: string): number => {
    if (looksLikeOption(value)) throw missingValue(name, value);
    const v = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number, got '${value}'.`);
    const problem = check?.(v);
    if (problem) throw new InvalidArgumentError(`${name} ${problem}, got ${value}.`);
    return v;
  };
}

/** A file or folder name (or another text: an EMDB id, an address): not empty, and not the next option. */
function pathName(name: string) {
  return (value: string): string => {
    if (value.trim() === '') throw new InvalidArgumentError(`${name} needs a value, got an empty one.`);
    if (looksLikeOption(value)) throw missingValue(name, value);
    return value;
  };
}

/**
 * The value as `normalise` gives it back (`EMD-3061` → `3061`, an address trimmed); what it refuses (an
 * InputError) is refused as a command-line mistake (exit 2).
 */
function checkedBy(name: string, normalise: (value: string) => string) {
  return (value: string): string => {
    pathName(name)(value);
    try {
      return normalise(value);
    } catch (error) {
      if (error instanceof InputError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

const positive = (v: number) => (v > 0 ? undefined : 'must be positive');
const inUnit = (v: number) => (v >= 0 && v <= 1 ? undefined : 'must be between 0 and 1');
const atLeastOne = (v: number) => (v >= 1 ? undefined : 'must be 1 or more (1 means no change)');

export interface CliOptions {
  inputMap?: string;
  emdb?: string;
  resolution?: number;
  tau?: number;
  kernelSize?: number;
  kernelRadius?: number;
  tileSize?: number;
  lowpass?: number;
  maxBox: number;
  solventDef?: string;
  hedgeConfidence?: number;
  nlrc: boolean;
  targetMask?: string;
  S0: boolean;
  SW: boolean;
  lpScale: boolean;
  occupancy: boolean;
  rawScale: boolean;
  amplify?: number;
  attenuate?: number;
  sigmoid?: number;
  pivot?: number;
  scaleLimit: number;
  excludeSolvent: boolean;
  retainSolvent: boolean;
  omitConfidence: boolean;
  lowpassOutput?: number;
  histMatch: boolean;
  seed?: number;
  solventDefFromScale?: number;
  subtractionMask: boolean;
  emdbServer?: string;
  outputMap?: string;
  outputDir?: string;
  keepOutputPath: boolean;
  plot: boolean;
  saveAllMaps: boolean;
  chimerax: boolean;
  chimeraxSilent: boolean;
  showChimerax: boolean;
  minVisScale: number;
  report: boolean;
  replaceNonFinite: boolean;
  verbose: boolean;
  quiet: boolean;
  helpAll: boolean;
}

/** Options shown only by `--help-all`: fine control most users never need. */
const ADVANCED = new Set([
  '--tau', '--kernel-size', '--kernel-radius', '--tile-size', '--max-box', '--hedge-confidence', '--S0', '--SW',
  '--scale-limit', '--omit-confidence', '--save-all-maps', '--min-vis-scale', '--chimerax-silent', '--seed',
  '--lp-scale', '--retain-solvent', '--chimerax', '--no-chimerax', '--no-report', '--replace-non-finite', '--emdb-server',
]);

export function buildCommand(version: string, showAll: boolean): Command {
  const cmd = new Command('occupy');
  const add = (option: Option) => {
    for (const flag of [option.long, option.short]) if (flag) KNOWN_FLAGS.add(flag);
    if (!showAll && ADVANCED.has(option.long ?? '')) option.hideHelp();
    cmd.addOption(option);
  };
  cmd
    .description(
      'Estimate the local scale of a cryo-EM map (relative resolution; with --occupancy, relative occupancy) and ' +
        'its solvent confidence, and optionally modify the map by the scale (amplify, attenuate, sigmoid).',
    )
    .version(version, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'show the common options and exit')
    .usage('-i <map.mrc> [options]')
    .showSuggestionAfterError(true)
    // Arguments that are not options are refused by the caller, which can say what to do with them.
    .allowExcessArguments(true);

  // Input
  add(new Option('-i, --input-map <file>', 'map to estimate (.mrc, .map, .ccp4, optionally gzipped)').argParser(pathName('-i')));
  add(new Option('--emdb <id>', 'fetch the main map of an EMDB entry (e.g. 3061 or EMD-3061), keep it, and use it as input').argParser(checkedBy('--emdb', emdbNumber)));
  add(new Option('--emdb-server <url>', 'base address of the EMDB archive (default: $OCCUPY_EMDB_SERVER or the public EBI archive)').argParser(checkedBy('--emdb-server', (url) => emdbServer(url, '--emdb-server'))));
  add(new Option('-r, --resolution <Å>', 'lowest resolution of resolvable content in the map').argParser(realNumber('--resolution', positive)));
  // Estimation
  add(new Option('--lowpass <Å>', 'low-pass the input to this resolution before estimation (default: the larger of 8 Å and 3 voxels)').argParser(realNumber('-lp/--lowpass', positive)));
  add(new Option('--occupancy', 'estimate relative occupancy: scale from the low-passed map (same as --lp-scale)').default(false));
  add(new Option('--lp-scale', 'estimate scale from the low-passed map').default(false));
  add(new Option('--raw-scale', 'estimate scale from the unfiltered map: relative resolution (default unless modifying)').default(false));
  add(new Option('--solvent-def <file>', 'mask defining solvent or content, to aid the solvent model (same box as the input)').argParser(pathName('--solvent-def')));
  add(new Option('--target-mask <file>', 'mask of a region whose occupancy to report (same box as the input)').argParser(pathName('--target-mask')));
  add(new Option('--nlrc', 'noise-level re-calibration: set the zero of the scale at the edge of the solvent noise').default(false));
  add(new Option('-t, --tau <value>', 'percentile for the full-scale normalisation, between 0 and 1 (default: from the kernel)').argParser(realNumber('--tau', (v) => (v > 0 && v < 1 ? undefined : 'must be above 0 and below 1'))));
  add(new Option('--kernel-size <voxels>', 'edge of the local-maximum kernel, odd').argParser(integer('--kernel-size', (v) => (v >= 1 && v % 2 === 1 ? undefined : 'must be an odd whole number of 1 or more'))));
  add(new Option('--kernel-radius <voxels>', 'radius of the local-maximum kernel').argParser(realNumber('--kernel-radius', positive)));
  add(new Option('--tile-size <voxels>', 'edge of the tiles searched for the full scale (default box/20)').argParser(integer('--tile-size', (v) => (v >= 1 ? undefined : 'must be 1 or more'))));
  add(new Option('--max-box <voxels>', 'maps larger than this are down-sampled for estimation (even)').default(DEFAULT_MAX_BOX).argParser(integer('--max-box', (v) => (v >= 8 && v % 2 === 0 ? undefined : 'must be an even whole number of 8 or more'))));
  add(new Option('--hedge-confidence <power>', 'raise the solvent confidence to this power (> 1 is more careful)').argParser(realNumber('--hedge-confidence', positive)));
  add(new Option('--S0', 'naive normalisation by tau × the map maximum instead of tiles').default(false));
  add(new Option('--SW', 'tiled-percentile normalisation (the default)').default(false));
  // Modification
  add(new Option('--amplify <gamma>', 'amplify weak (partial-occupancy) density with this power, above 1 (default and 1: off)').argParser(realNumber('-am/--amplify', atLeastOne)));
  add(new Option('--attenuate <gamma>', 'attenuate weak density with this power, above 1 (default and 1: off)').argParser(realNumber('-at/--attenuate', atLeastOne)));
  add(new Option('--sigmoid <gamma>', 'amplify above and attenuate below --pivot with this power, above 1 (default and 1: off)').argParser(realNumber('--sigmoid', atLeastOne)));
  add(new Option('--pivot <scale>', 'the scale the sigmoid leaves unchanged, in [0.01, 0.99]').argParser(realNumber('--pivot', (v) => (v >= 0.01 && v <= 0.99 ? undefined : 'must be between 0.01 and 0.99'))));
  add(new Option('--scale-limit <scale>', 'scale below which density is not modified').default(DEFAULT_SCALE_LIMIT).argParser(realNumber('--scale-limit', inUnit)));
  add(new Option('--exclude-solvent', 'flatten estimated solvent (alone: write a solvent-excluded copy of the input)').default(false));
  add(new Option('--retain-solvent', 'keep solvent (the default)').default(false));
  add(new Option('--omit-confidence', 'do not restrict modification to confident (non-solvent) voxels; not recommended').default(false));
  add(new Option('--lowpass-output <Å>', 'low-pass the modified maps to this resolution').argParser(realNumber('--lowpass-output', positive)));
  add(new Option('--hist-match', 'match the value histogram of modified maps to the input').default(false));
  add(new Option('--seed <n>', 'seed for the synthetic solvent of attenuate/sigmoid (default: random)').argParser(integer('--seed', (v) => (v >= 0 && v < 2 ** 32 ? undefined : 'must be a whole number from 0 to 4294967295'))));
  // Mask tools (the published GUI's, on the command line)
  add(new Option('--solvent-def-from-scale <scale>', 'also write a solvent definition: 1 where the scale exceeds this value (input box)').argParser(realNumber('--solvent-def-from-scale', inUnit)));
  add(new Option('--subtraction-mask', 'also write a mask for signal subtraction (e.g. RELION) from the -at / --sigmoid settings').default(false));
  // Output
  add(new Option('-o, --output-map <file>', 'name for the modified map, from the working directory (with several modifications, it replaces the input\'s name in each)').argParser(pathName('-o')));
  add(new Option('--output-dir <dir>', 'write outputs to this folder (default: the working directory)').argParser(pathName('--output-dir')));
  add(new Option('--keep-output-path', 'write outputs beside the input map').default(false));
  add(new Option('--plot', 'draw the solvent model (and modification curves) as PNG and SVG').default(false));
  add(new Option('--save-all-maps', 'also save the low-passed input, down-sampled input and modification factors').default(false));
  add(new Option('--chimerax', 'write the ChimeraX script chimX_<name>.cxc (the default)').default(true));
  add(new Option('--no-chimerax', 'do not write the ChimeraX script'));
  add(new Option('--chimerax-silent', 'also write a ChimeraX script that saves PNG views and exits').default(false));
  add(new Option('--show-chimerax', 'open the result in ChimeraX when done (needs chimerax on the PATH)').default(false));
  add(new Option('--min-vis-scale <scale>', 'lowest scale of the ChimeraX colour range').default(DEFAULT_MIN_VIS_SCALE).argParser(realNumber('--min-vis-scale', inUnit)));
  add(new Option('--no-report', 'do not write report_<name>.json'));
  add(new Option('--replace-non-finite', 'replace NaN/infinite input values by the solvent mean instead of refusing').default(false));
  add(new Option('--verbose', 'say what is going on; show stack traces of internal errors').default(false));
  add(new Option('--quiet', 'print nothing but errors').default(false));
  add(new Option('--help-all', 'show every option and exit').default(false));

  const shortOf: Record<string, string> = Object.fromEntries(
    Object.entries(MULTI_CHAR_SHORT_FLAGS).map(([s, l]) => [l, s]),
  );
  cmd.configureHelp({
    optionTerm: (option: Option) => {
      const short = option.long ? shortOf[option.long] : undefined;
      return short ? `${short}, ${option.flags}` : option.flags;
    },
    // Flags say their default only where it is a value: "(default: false)" on every switch is noise.
    optionDescription: (option: Option) => {
      const shown = option.defaultValue !== undefined && typeof option.defaultValue !== 'boolean';
      return shown ? `${option.description} (default: ${option.defaultValue})` : option.description;
    },
    sortOptions: false,
  } as Partial<Help>);
  cmd.addHelpText(
    'after',
    `\nExamples:\n  occupy -i map.mrc                      local relative resolution\n` +
      `  occupy -i map.mrc --occupancy          local relative occupancy\n` +
      `  occupy -i map.mrc -am 3 --plot         amplify partial occupancy 3×, draw the solvent model\n` +
      `  occupy -i map.mrc --sigmoid 4 --pivot 0.3 --exclude-solvent\n` +
      `  occupy gui                             the same in the browser (opens the web app)\n` +
      (showAll ? '' : `\nRun 'occupy --help-all' for every option.\n`),
  );
  return cmd;
}
