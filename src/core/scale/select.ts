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
