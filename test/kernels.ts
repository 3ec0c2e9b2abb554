/** Comparing the WebAssembly kernels with the JavaScript loops they stand in for. */

/**
 * Runs `fn` with one module's kernels turned off (`setEnabled`: that module's switch), so the JavaScript loops
 * run instead; they are on again afterwards, also when `fn` throws.
 */
export function withKernelsOff<T>(setEnabled: (on: boolean) => void, fn: () => T): T {
  setEnabled(false);
  try {
    return fn();
  } finally {
    setEnabled(true);
  }
}
