/**
 * The k-th smallest value (0-based) of `values`, reordering `values` in place: Hoare's quickselect with a
 * median-of-three pivot. Equal to `sorted(values)[k]`, but linear time instead of a full sort — the tiled
 * percentile search calls it once per tile.
 */
export function selectKth(values: Float32Array, k: number): number {
  if (!(k >= 0 && k < values.length)) throw new RangeError(`rank ${k} outside 0..${values.length - 1}`);
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three to the middle, keeps sorted or constant inputs from going quadratic.
    if (values[mid] < values[lo]) swap(values, mid, lo);
    if (values[hi] < values[lo]) swap(values, hi, lo);
    if (values[hi] < values[mid]) swap(values, hi, mid);
    const pivot = values[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * The k-th largest (k >= 1) of the values that `visit` hands to `push`, keeping only the k largest seen so far
 * in a min-heap: `n` comparisons plus O(k log k log n) heap work for values in random order. Equal to
 * `sorted(values)[n - k]`. The tiled percentile needs the value at rank `floor(tau * n)` with tau close to 1,
 * i.e. one of the few largest, so this beats copying the tile and running quickselect over all of it.
 */
export class TopK {
  private readonly heap: Float64Array;
  private count = 0;

  constructor(readonly k: number) {
    if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a positive integer, got ${k}`);
    this.heap = new Float64Array(k);
  }

  reset(): void {
    this.count = 0;
  }

  /** The smallest of the k largest values pushed since the last reset (the k-th largest). */
  get kthLargest(): number {
    if (this.count < this.k) throw new RangeError(`fewer than ${this.k} values were pushed`);
    return this.heap[0];
  }

  /** Offers the values `data[start + i]` for i in [0, length). */
  pushRun(data: Float32Array, start: number, length: number): void {
    const heap = this.heap;
    const k = this.k;
    let i = start;
    const end = start + length;
    // Fill phase: sift up.
    for (; i < end && this.count < k; i++) {
      const v = data[i];
      let c = this.count++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (heap[parent] <= v) break;
        heap[c] = heap[parent];
        c = parent;
      }
      heap[c] = v;
    }
    // Replace phase: only values above the current k-th largest enter.
    let min = heap[0];
    for (; i < end; i++) {
      const v = data[i];
      if (v > min) {
        let c = 0;
        for (;;) {
          let child = 2 * c + 1;
          if (child >= k) break;
          if (child + 1 < k && heap[child + 1] < heap[child]) child++;
          if (heap[child] >= v) break;
          heap[c] = heap[child];
          c = child;
        }
        heap[c] = v;
        min = heap[0];
      }
    }
  }
}
