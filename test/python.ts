/**
 * Debian's Python with the modules a cross-check needs (numpy, scipy, mrcfile, gemmi): independent
 * implementations the project is compared with. A missing interpreter or module fails the test, saying what to
 * install (`.ci/run` installs them): a cross-check that did not run must not pass. OCCUPY_ALLOW_PYTHON_SKIP=1
 * skips it instead, visibly, for a developer who knows what is not being checked.
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

/** The interpreter to use; else the test fails, or is skipped under OCCUPY_ALLOW_PYTHON_SKIP=1 (undefined). */
export function pythonWith(t: TestContext, modules: readonly string[], debianPackages: string): string | undefined {
  const { python, tried } = findPython(modules);
  if (python) return python;
  const message = `python3 with ${modules.join(', ')} not found (tried ${tried.join(', ')}); install ${debianPackages}`;
  if (process.env.OCCUPY_ALLOW_PYTHON_SKIP !== '1') assert.fail(`${message} (OCCUPY_ALLOW_PYTHON_SKIP=1 skips the cross-checks)`);
  t.skip(`${message} — cross-check skipped`);
  return undefined;
}
