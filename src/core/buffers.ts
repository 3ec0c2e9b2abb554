/**
 * Fresh zeroed Float32Arrays for whole maps, from a reserve that a host may fill ahead of time, else new.
 *
 * A new array's memory is mapped page by page when it is first written, about 45 ms for a 256³ map on the
 * thread that writes it. The CLI fills the reserve, while it reads the input, with arrays of the run's map
 * size whose pages other threads have already touched (src/cli/prefault.ts), and the steps that make a map
 * (low-pass, local maximum, confidence, modified maps) take them here. The contents are the same either way:
 * zeros, and nothing else refers to a reserved array. Without a reserve (the web app, tests) this is
 * `new Float32Array(length)`.
 */

const reserve: Float32Array[] = [];

/**
 * Adds arrays to the reserve. Each must be all zeros, not on a SharedArrayBuffer, and no longer used by the
 * caller (it is handed to whichever step next asks for an array of its length).
 */
export function reserveZeroedArrays(arrays: readonly Float32Array[]): void {
  reserve.push(...arrays);
}

/** Empties the reserve (its arrays become garbage); returns how many were left unused. */
export function releaseReservedArrays(): number {
  const left = reserve.length;
  reserve.length = 0;
  return left;
}

/** A zeroed Float32Array of `length` values: a reserved one of that length when there is one, else new. */
export function zeroedFloat32Array(length: number): Float32Array {
  for (let i = reserve.length - 1; i >= 0; i--) {
    if (reserve[i].length === length) return reserve.splice(i, 1)[0];
  }
  return new Float32Array(length);
}
