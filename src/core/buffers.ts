/**
 * Fresh zeroed Float32Arrays for whole maps, from a reserve that a host may fill ahead of time, else new.
 *
 * A new array's memory is mapped page by page when it is first written, about 45 ms for a 256³ map on the
 * thread that writes it. The CLI fills the reserve with arrays of the run's map sizes whose pages a helper
 * thread maps on the other core while the run goes on (src/cli/prefault.ts), and the steps that make a map
 * (low-pass, local maximum, confidence, modified maps and factors) take them here. The contents are the same
 * either way: zeros, and nothing else writes to a reserved array once taken. Without a reserve (the web app,
 * tests) this is `new Float32Array(length)`.
 */

/** An array of the reserve, and how to take it from whoever prepares it. */
export interface ReservedArray {
  array: Float32Array;
  /**
   * Makes the array the caller's: true once it is (at once when it is ready, or when its preparation has not
   * begun and is called off; after waiting for it when it is under way), false when it cannot be had.
   */
  take: () => boolean;
  /** Tells whoever prepares it that it will not be taken (it is being dropped from the reserve). */
  release?: () => void;
}

const reserve: (ReservedArray & { plain?: boolean })[] = [];

/**
 * Adds arrays to the reserve. Each must be all zeros once taken and used by nothing else then (it is handed
 * to whichever step next asks for an array of its length). Plain arrays, ready by definition, go before the
 * reserve's prepared ones (which might keep a step waiting); otherwise arrays are handed out in the order given.
 */
export function reserveZeroedArrays(arrays: readonly (Float32Array | ReservedArray)[]): void {
  for (const a of arrays) {
    if (a instanceof Float32Array) {
      const firstPrepared = reserve.findIndex((r) => !r.plain);
      reserve.splice(firstPrepared < 0 ? reserve.length : firstPrepared, 0, { array: a, take: () => true, plain: true });
    } else {
      reserve.push(a);
    }
  }
}

/** Empties the reserve (its arrays become garbage, their preparation called off); returns how many were left unused. */
export function releaseReservedArrays(): number {
  const left = reserve.length;
  for (const r of reserve) r.release?.();
  reserve.length = 0;
  return left;
}

/** A zeroed Float32Array of `length` values: the first reserved one of that length that can be taken, else new. */
export function zeroedFloat32Array(length: number): Float32Array {
  const i = reserve.findIndex((r) => r.array.length === length && r.take());
  if (i >= 0) return reserve.splice(i, 1)[0].array;
  return new Float32Array(length);
}
