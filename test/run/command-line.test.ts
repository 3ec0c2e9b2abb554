/** `commandLine(settings)` spells out settings the CLI parses back into the same settings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandLine, shellQuote } from '../../src/run/command-line.js';
import { defaultSettings, type RunSettings } from '../../src/run/settings.js';
import { buildCommand, expandShortFlags, type CliOptions } from '../../src/cli/options.js';
import { resolveRun } from '../../src/cli/plan.js';

function parse(argv: string[]): RunSettings {
  const command = buildCommand('test', true);
  command.exitOverride();
  command.parse(expandShortFlags(argv.slice(1)), { from: 'user' });
  return resolveRun(command.opts<CliOptions>(), '/tmp').settings;
}

/** Drops undefined members, which the CLI and a settings object may spell differently. */
const defined = (s: RunSettings) => JSON.parse(JSON.stringify(s));

function variants(): [string, RunSettings][] {
  const base = defaultSettings;
  const occupancy = base();
  occupancy.estimation.scaleMode = 'occ';

  const everything = base();
  Object.assign(everything.estimation, {
    scaleMode: 'occ', naive: true, nlrc: true, hedgeConfidence: 2, maxBox: 128, lowpass: 9.5, resolution: 4,
    kernelSize: 7, kernelRadius: 3, tau: 0.9, tileSize: 8,
  });
  Object.assign(everything.modification, {
    modifications: [{ kind: 'amplify', power: 3 }, { kind: 'attenuate', power: 2.5 }, { kind: 'sigmoid', power: 4, pivot: 0.35 }],
    excludeSolvent: true, omitConfidence: true, scaleLimit: 0.1, lowpassOutput: 6, histogramMatch: true, saveFactors: true,
  });
  // A seed only where synthetic solvent is drawn: attenuate or sigmoid without --exclude-solvent.
  const seeded = base();
  Object.assign(seeded.modification, { modifications: [{ kind: 'attenuate', power: 2.5 }], seed: 42 });
  everything.tools = { solventDefinitionThreshold: 0.3, subtractionMasks: true };
  everything.outputs = { chimerax: false, chimeraxSilent: true, plot: true, report: false, minVisScale: 0.3, saveAllMaps: true, outputMap: 'out.mrc' };

  const rawWhileModifying = base();
  rawWhileModifying.modification.modifications = [{ kind: 'amplify', power: 2 }];
  return [
    ['defaults', base()],
    ['occupancy', occupancy],
    ['every setting changed', everything],
    ['a seed for the synthetic solvent', seeded],
    ['res scale while modifying (--raw-scale)', rawWhileModifying],
  ];
}

for (const [name, settings] of variants()) {
  test(`command line round trip: ${name}`, () => {
    const argv = commandLine(settings, { input: 'map.mrc' });
    assert.deepEqual(defined(parse(argv)), defined(settings), argv.join(' '));
  });
}

test('masks appear as --solvent-def and --target-mask; arguments are quoted for a shell', () => {
  const argv = commandLine(defaultSettings(), { input: 'my map.mrc', solventDefinition: 'sol.mrc', targetMask: "chain 'H'.mrc" });
  assert.deepEqual(argv.slice(0, 3), ['occupy', '-i', 'my map.mrc']);
  assert.ok(argv.join(' ').includes('--solvent-def sol.mrc'));
  assert.equal(shellQuote(argv), `occupy -i 'my map.mrc' --solvent-def sol.mrc --target-mask 'chain '\\''H'\\''.mrc'`);
});

test('options for modified maps without a modification are named as ignored, each once', () => {
  const warningsOf = (argv: string[]) => {
    const command = buildCommand('test', true);
    command.exitOverride();
    command.parse(expandShortFlags(argv), { from: 'user' });
    return resolveRun(command.opts<CliOptions>(), '/tmp').warnings.filter((w) => w.endsWith('but no modification was asked for; ignored.'));
  };
  const unused = warningsOf(['-i', 'm.mrc', '-o', 'x.mrc', '--lowpass-output', '10', '--hist-match', '--omit-confidence']);
  assert.deepEqual(
    unused.map((w) => w.split(' ')[0]),
    ['-o/--output-map', '--lowpass-output', '--hist-match', '--omit-confidence'],
  );
  assert.deepEqual(warningsOf(['-i', 'm.mrc', '-am', '2', '-o', 'x.mrc', '--lowpass-output', '10', '--hist-match', '--omit-confidence']), []);
  assert.deepEqual(warningsOf(['-i', 'm.mrc', '--exclude-solvent', '--lowpass-output', '10', '--hist-match']), []);
  assert.deepEqual(warningsOf(['-i', 'm.mrc']), []);
  // Ignored means left out of the settings: nothing checks (e.g. a --lowpass-output too coarse) or reports them.
  const command = buildCommand('test', true);
  command.exitOverride();
  command.parse(['-i', 'm.mrc', '--lowpass-output', '1000', '--hist-match', '--omit-confidence'], { from: 'user' });
  const { modification } = resolveRun(command.opts<CliOptions>(), '/tmp').settings;
  assert.deepEqual([modification.lowpassOutput, modification.histogramMatch, modification.omitConfidence], [undefined, false, false]);
});

test('--seed where no synthetic solvent is drawn (no attenuate or sigmoid, or solvent excluded) is named as ignored, and left out', () => {
  const resolve = (argv: string[]) => {
    const command = buildCommand('test', true);
    command.exitOverride();
    command.parse(expandShortFlags(argv), { from: 'user' });
    return resolveRun(command.opts<CliOptions>(), '/tmp');
  };
  const ignored = /^--seed sets the synthetic solvent of attenuate and sigmoid \(none with --exclude-solvent\), but this run draws none; ignored\.$/;
  for (const argv of [['-i', 'm.mrc', '--seed', '3'], ['-i', 'm.mrc', '-am', '2', '--seed', '3'], ['-i', 'm.mrc', '-at', '2', '--exclude-solvent', '--seed', '3']]) {
    const run = resolve(argv);
    assert.ok(run.warnings.some((w) => ignored.test(w)), argv.join(' '));
    assert.equal(run.settings.modification.seed, undefined);
  }
  for (const argv of [['-i', 'm.mrc', '-at', '2', '--seed', '3'], ['-i', 'm.mrc', '--sigmoid', '2', '--pivot', '0.3', '--seed', '3']]) {
    const run = resolve(argv);
    assert.ok(!run.warnings.some((w) => ignored.test(w)), argv.join(' '));
    assert.equal(run.settings.modification.seed, 3);
  }
});
