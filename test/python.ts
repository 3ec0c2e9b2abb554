/**
 * Debian's Python with the modules a cross-check needs (numpy, scipy, mrcfile, gemmi): independent
 * implementations the project is compared with. Under CI (`.ci/run` installs them and sets CI=1) a missing
 * interpreter or module fails the test; elsewhere the test is skipped, visibly, with what to install.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export function findPython(modules: readonly string[]): { python?: string; tried: string[] } {
  const candidates = process.env.OCCUPY_PYTHON ? [process.env.OCCUPY_PYTHON] : ['/usr/bin/python3', 'python3'];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
    if (r.status === 0) return { python, tried: candidates };
  }
  return { tried: candidates };
}

/** The interpreter to use, or undefined after skipping the test (failing it under CI). */
export function pythonWith(t: TestContext, modules: readonly string[], debianPackages: string): string | undefined {
  const { python, tried } = findPython(modules);
  if (python) return python;
  const message = `python3 with ${modules.join(', ')} not found (tried ${tried.join(', ')}); install ${debianPackages}`;
  if (process.env.CI) assert.fail(message);
  t.skip(`${message} — cross-check skipped`);
  return undefined;
}
