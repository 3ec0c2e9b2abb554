/**
 * Index mirroring for edge handling, scipy.ndimage's `reflect` mode: the edge voxel is repeated,
 * `d c b a | a b c d | d c b a`. Valid for any integer index; a period is `2n`.
 */
export function reflectIndex(i: number, n: number): number {
  if (i >= 0 && i < n) return i;
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}
