/**
 * The tiled percentile's search (full-scale.ts, METHOD.md §6.2) in WebAssembly: the k-th largest value of a
 * t³ tile from a lower bound, as `ThresholdedTopK` finds it in JavaScript. It runs once per tile, a few
 * thousand times per run, and in JavaScript much of that is spent before V8's optimising compiler takes over
 * (a small map's tiles took ~34 ms in a process's first run against ~10 ms later); compiled WebAssembly runs
 * at full speed from the first tile.
 *
 * Per tile: T, the k-th largest of the sub-sample at even offsets (quickselect), is a lower bound of the
 * answer (k values of the tile are at least T); the values above T are collected and quickselected, and when
 * fewer than k lie above T the answer is T itself. The answer is a number that does not depend on how it was
 * selected, except in two cases that are left to the caller's JavaScript (the kernel answers NaN for them): a
 * NaN in the tile, and a zero answer (equal values differ in their bits only for ±0, and the reference's
 * choice of zero is the top-k heap's).
 *
 * The volume's planes of one layer of tiles are copied into the module's memory at a time (the tiles of a
 * layer share their planes; the run visits the layers in order).
 */
import type { Volume } from '../volume.js';
import { Code, F32, I32, V128, ensureMemoryBytes, lazyKernels, type FunctionSpec } from '../wasm/assembler.js';

interface Exports {
  memory: WebAssembly.Memory;
  tile: (
    base: number,
    t: number,
    k: number,
    rowBytes: number,
    planeBytes: number,
    tileRowBytes: number,
    tilePlaneBytes: number,
    sampleCount: number,
    sample: number,
    above: number,
  ) => number;
}


/**
 * select(ptr, n, r) → the r-th smallest (0-based) of the n floats at ptr, reordering them: Hoare's quickselect
 * with a median-of-three pivot, as `selectKth` (select.ts). Addresses are kept in bytes.
 */
function selectFunction(): FunctionSpec {
  const [PTR, N, R] = [0, 1, 2];
  const [LO, HI, MID, I, J, AT_R, PIVOT, A, B] = [3, 4, 5, 6, 7, 8, 9, 10, 11];
  const c = new Code();
  const swapIfBelow = (x: number, y: number) => {
    // if (a[x] < a[y]) swap(a[x], a[y])
    c.localGet(x).f32Load().localSet(A);
    c.localGet(y).f32Load().localSet(B);
    c.localGet(A).localGet(B).f32Lt().if();
    c.localGet(x).localGet(B).f32Store();
    c.localGet(y).localGet(A).f32Store();
    c.end();
  };
  c.localGet(PTR).localGet(R).i32Const(2).i32Shl().i32Add().localSet(AT_R);
  c.localGet(PTR).localSet(LO);
  c.localGet(PTR).localGet(N).i32Const(1).i32Sub().i32Const(2).i32Shl().i32Add().localSet(HI);
  c.block().loop();
  // while (hi > lo)
  c.localGet(HI).localGet(LO).i32GtS().i32Eqz().brIf(1);
  // mid = (lo + hi) >>> 1, in elements from ptr
  c.localGet(PTR);
  c.localGet(LO).localGet(PTR).i32Sub().localGet(HI).localGet(PTR).i32Sub().i32Add().i32Const(3).i32ShrU().i32Const(2).i32Shl();
  c.i32Add().localSet(MID);
  swapIfBelow(MID, LO);
  swapIfBelow(HI, LO);
  swapIfBelow(HI, MID);
  c.localGet(MID).f32Load().localSet(PIVOT);
  c.localGet(LO).localSet(I);
  c.localGet(HI).localSet(J);
  c.block().loop();
  // while (i <= j)
  c.localGet(I).localGet(J).i32GtS().brIf(1);
  // while (a[i] < pivot) i++
  c.block().loop();
  c.localGet(I).f32Load().localGet(PIVOT).f32Lt().i32Eqz().brIf(1);
  c.localGet(I).i32Const(4).i32Add().localSet(I);
  c.br(0).end().end();
  // while (a[j] > pivot) j--
  c.block().loop();
  c.localGet(J).f32Load().localGet(PIVOT).f32Gt().i32Eqz().brIf(1);
  c.localGet(J).i32Const(4).i32Sub().localSet(J);
  c.br(0).end().end();
  // if (i <= j) { swap; i++; j-- }
  c.localGet(I).localGet(J).i32GtS().i32Eqz().if();
  c.localGet(I).f32Load().localSet(A);
  c.localGet(I).localGet(J).f32Load().f32Store();
  c.localGet(J).localGet(A).f32Store();
  c.localGet(I).i32Const(4).i32Add().localSet(I);
  c.localGet(J).i32Const(4).i32Sub().localSet(J);
  c.end();
  c.br(0).end().end();
  // if (r <= j) hi = j; else if (r >= i) lo = i; else the answer is in place
  c.localGet(AT_R).localGet(J).i32GtS().i32Eqz().if();
  c.localGet(J).localSet(HI).br(1);
  c.end();
  c.localGet(AT_R).localGet(I).i32LtS().i32Eqz().if();
  c.localGet(I).localSet(LO).br(1);
  c.end();
  c.end().end();
  c.localGet(AT_R).f32Load();
  return { name: 'select', params: [I32, I32, I32], results: [F32], locals: [I32, I32, I32, I32, I32, I32, F32, F32, F32], body: c };
}

const SELECT = 0;

/**
 * tile(base, t, k, rowBytes, planeBytes, tileRowBytes, tilePlaneBytes, sampleCount, sample, above) → the k-th
 * largest of the t³ tile whose first value is at `base` (rows `rowBytes` apart, planes `planeBytes` apart;
 * `tileRowBytes = t · rowBytes`, `tilePlaneBytes = t · planeBytes`), or NaN where the caller decides (a NaN in
 * the tile, a zero answer). `sampleCount` is ceil(t/2)³; `sample` and `above` are scratch areas of
 * `sampleCount` and t³ floats.
 */
function tileFunction(): FunctionSpec {
  const [BASE, T, K, ROW, PLANE, TILE_ROW, TILE_PLANE, SAMPLES, SAMPLE, ABOVE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [PZ, PY, PX, Z_END, Y_END, X_END, OUT, NAN, N] = [10, 11, 12, 13, 14, 15, 16, 17, 18];
  const [LIMIT, V, RESULT] = [19, 20, 21];
  const [VECTORS_END, LIMITS, VALUES, NANS] = [22, 23, 24, 25];
  const c = new Code();
  /**
   * Visits the tile's rows every `step` voxels along y and z: `row()` sees the row's first value's address in
   * PY and the address after its last in X_END.
   */
  const visitRows = (step: number, row: () => void) => {
    c.localGet(BASE).localSet(PZ);
    c.localGet(BASE).localGet(TILE_PLANE).i32Add().localSet(Z_END);
    c.loop();
    c.localGet(PZ).localSet(PY);
    c.localGet(PZ).localGet(TILE_ROW).i32Add().localSet(Y_END);
    c.loop();
    c.localGet(PY).localGet(T).i32Const(2).i32Shl().i32Add().localSet(X_END);
    row();
    c.localGet(PY).localGet(ROW);
    if (step === 2) c.i32Const(1).i32Shl();
    c.i32Add().localTee(PY).localGet(Y_END).i32LtU().brIf(0);
    c.end();
    c.localGet(PZ).localGet(PLANE);
    if (step === 2) c.i32Const(1).i32Shl();
    c.i32Add().localTee(PZ).localGet(Z_END).i32LtU().brIf(0);
    c.end();
  };
  /** Visits the values from PX (set by the caller) to X_END, `step` apart, `body` seeing each address in PX. */
  const visitValues = (step: number, body: () => void) => {
    c.block();
    c.localGet(PX).localGet(X_END).i32LtU().i32Eqz().brIf(0);
    c.loop();
    body();
    c.localGet(PX).i32Const(4 * step).i32Add().localTee(PX).localGet(X_END).i32LtU().brIf(0);
    c.end();
    c.end();
  };
  /**
   * Stores the f32 in V at OUT and moves OUT on past it when it lies above the bound (without a branch: which
   * values do is unpredictable). A store lands at most at the t³-th slot, when every value lies above.
   */
  const keepIfAbove = () => {
    c.localGet(OUT).localGet(V).f32Store();
    c.localGet(OUT).localGet(V).localGet(LIMIT).f32Gt().i32Const(2).i32Shl().i32Add().localSet(OUT);
  };

  // The lower bound: the k-th largest of the sub-sample (none when it has fewer than k values).
  c.f32Const(-Infinity).localSet(LIMIT);
  c.localGet(K).localGet(SAMPLES).i32GtS().i32Eqz().if();
  c.localGet(SAMPLE).localSet(OUT);
  visitRows(2, () => {
    c.localGet(PY).localSet(PX);
    visitValues(2, () => {
      c.localGet(OUT).localGet(PX).f32Load().f32Store();
      c.localGet(OUT).i32Const(4).i32Add().localSet(OUT);
    });
  });
  c.localGet(SAMPLE).localGet(SAMPLES).localGet(SAMPLES).localGet(K).i32Sub().call(SELECT).localSet(LIMIT);
  c.end();

  // The values above it, four at a time where a row has four left (a vector with none above is passed over
  // whole), in order; a NaN is noted (`v != v`).
  c.localGet(ABOVE).localSet(OUT);
  c.i32Const(0).localSet(NAN);
  c.f32x4Const(0).localSet(NANS);
  c.localGet(LIMIT).f32x4Splat().localSet(LIMITS);
  visitRows(1, () => {
    c.localGet(PY).localSet(PX);
    c.localGet(PY).localGet(T).i32Const(2).i32ShrU().i32Const(4).i32Shl().i32Add().localSet(VECTORS_END);
    c.block();
    c.localGet(PX).localGet(VECTORS_END).i32LtU().i32Eqz().brIf(0);
    c.loop();
    c.localGet(PX).v128Load().localSet(VALUES);
    c.localGet(NANS).localGet(VALUES).localGet(VALUES).f32x4Ne().v128Or().localSet(NANS);
    c.localGet(VALUES).localGet(LIMITS).f32x4Gt().v128AnyTrue().if();
    for (let lane = 0; lane < 4; lane++) {
      c.localGet(VALUES).f32x4ExtractLane(lane).localSet(V);
      keepIfAbove();
    }
    c.end();
    c.localGet(PX).i32Const(16).i32Add().localTee(PX).localGet(VECTORS_END).i32LtU().brIf(0);
    c.end();
    c.end();
    visitValues(1, () => {
      c.localGet(PX).f32Load().localSet(V);
      c.localGet(NAN).localGet(V).localGet(V).f32Ne().i32Or().localSet(NAN);
      keepIfAbove();
    });
  });
  c.localGet(NAN).localGet(NANS).v128AnyTrue().i32Or().if().f32Const(NaN).return().end();

  // The k-th largest of them, or the bound itself when fewer than k lie above it.
  c.localGet(OUT).localGet(ABOVE).i32Sub().i32Const(2).i32ShrU().localSet(N);
  c.localGet(LIMIT).localSet(RESULT);
  c.localGet(K).localGet(N).i32GtS().i32Eqz().if();
  c.localGet(ABOVE).localGet(N).localGet(N).localGet(K).i32Sub().call(SELECT).localSet(RESULT);
  c.end();
  c.localGet(RESULT).f32Const(0).f32Eq().if().f32Const(NaN).return().end();
  c.localGet(RESULT);
  const i32s = (n: number) => new Array<typeof I32>(n).fill(I32);
  return {
    name: 'tile',
    params: i32s(10),
    results: [F32],
    locals: [...i32s(9), F32, F32, F32, I32, V128, V128, V128],
    body: c,
  };
}

// One page to start with; each search grows the memory to what its tiles need.
const module = lazyKernels<Exports>(() => [selectFunction(), tileFunction()], 65536);

/** Turns the kernel off (the JavaScript search runs instead) or back on; for tests comparing the two. */
export const enableTileKernels = module.setEnabled;

/**
 * The search over the tiles of `volume` (t³ tiles, the k-th largest of each), or null where WebAssembly is
 * not available. The returned function takes a tile's first voxel (z, y, x) and gives its k-th largest value,
 * or undefined where the caller must decide (a NaN in the tile, a zero answer). Tiles should come layer by
 * layer (z in order): each new z copies that layer's planes into the module (as does a tile after another
 * search has used the module: searches may interleave, at that cost).
 */
export function tileSearchKernel(volume: Volume, t: number, k: number): ((z: number, y: number, x: number) => number | undefined) | null {
  if (!(Number.isInteger(t) && t >= 1 && Number.isInteger(k) && k >= 1 && k <= t ** 3)) {
    throw new RangeError(`tile search needs a tile edge >= 1 and 1 <= k <= t^3, got t = ${t}, k = ${k}`);
  }
  const kernels = module.get();
  if (!kernels) return null;
  const { ny, nx, data } = volume;
  const planeValues = ny * nx;
  const sampleCount = Math.ceil(t / 2) ** 3;
  const sampleAt = 0;
  const aboveAt = 4 * sampleCount;
  const slabAt = aboveAt + 4 * t ** 3;
  const bytes = slabAt + 4 * t * planeValues;
  let memory = new Float32Array(0);
  let slabZ = -1;
  const id = ++searches;
  const search = (z: number, y: number, x: number): number | undefined => {
    // The module is shared: another search may have grown (and so replaced) its memory, or overwritten the
    // layer copied in, since this one's last tile.
    if (memory.buffer !== kernels.memory.buffer || memory.length * 4 < bytes) {
      ensureMemoryBytes(kernels.memory, bytes);
      memory = new Float32Array(kernels.memory.buffer);
      slabZ = -1;
    }
    if (z !== slabZ || layerOwner !== id) {
      memory.set(data.subarray(z * planeValues, (z + t) * planeValues), slabAt / 4);
      slabZ = z;
      layerOwner = id;
    }
    const value = kernels.tile(slabAt + 4 * (y * nx + x), t, k, 4 * nx, 4 * planeValues, 4 * t * nx, 4 * t * planeValues, sampleCount, sampleAt, aboveAt);
    return Number.isNaN(value) ? undefined : value;
  };
  return search;
}

/** Searches made so far, and the one whose layer the module's memory holds (a number: no map kept alive). */
let searches = 0;
let layerOwner = 0;
