/**
 * The statistics of an MRC2014 header: min, max, mean and RMS deviation from the mean, in double precision.
 * With any NaN or infinity they are marked "not determined" the MRC2014 way (dmax < dmin, dmean < both,
 * rms < 0). The extremes are those of a first-wins scan (`v < min`): Math.min/Math.max (faster) agree except
 * in the sign of a zero extreme, which is then the first zero of the data.
 *
 * Two passes, as the definition asks: the sum (for the mean), then the squared deviations from that mean. Both
 * sums are accumulated one value after another in index order, so they come out the same bit for bit whether
 * a map is summed whole ({@link statisticsOfMany}) or a piece at a time as it is made ({@link PiecewiseStatistics}:
 * a map written as it is made, never held whole).
 */
import { extremesAndSumsOf, squaredDeviationsOfMany } from '../core/wasm/statistics.js';

export interface Statistics {
  min: number;
  max: number;
  mean: number;
  rms: number;
}

const UNDETERMINED: Statistics = { min: 0, max: -1, mean: -2, rms: -1 };

/** The first pass so far: extremes (Math.min/Math.max) and the sum in index order. */
interface FirstPass {
  min: number;
  max: number;
  sum: number;
}

/**
 * `pass` continued over `data` (the values after those it has seen): WebAssembly for the whole vectors where
 * available (`wasm`, run on `data` with the sum carried in), then the rest in JavaScript.
 */
function continueFirstPass(pass: FirstPass, data: Float32Array, wasm: { min: number; max: number; sum: number; done: number } | undefined): void {
  let { min, max, sum } = pass;
  if (wasm) {
    min = Math.min(min, wasm.min);
    max = Math.max(max, wasm.max);
    sum = wasm.sum;
  }
  for (let i = wasm?.done ?? 0; i < data.length; i++) {
    const v = data[i];
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  Object.assign(pass, { min, max, sum });
}

/** The squared deviations continued over `data`, as {@link continueFirstPass} does the sum. */
function continueSecondPass(squares: number, data: Float32Array, mean: number, wasm: { squares: number; done: number } | undefined): number {
  let total = wasm?.squares ?? squares;
  for (let i = wasm?.done ?? 0; i < data.length; i++) {
    const d = data[i] - mean;
    total += d * d;
  }
  return total;
}

/** The first zero of `data` (its sign), or undefined when there is none. */
function firstZero(data: Float32Array): number | undefined {
  for (let i = 0; i < data.length; i++) if (data[i] === 0) return data[i];
  return undefined;
}

/** Whether the first pass leaves the statistics undetermined (not finite, or no values). */
function undetermined(pass: FirstPass, count: number): boolean {
  return !Number.isFinite(pass.sum) || count === 0;
}

/** Statistics of whole arrays, several together (the WebAssembly sums of several arrays overlap). */
export function statisticsOfMany(datas: readonly Float32Array[]): Statistics[] {
  const firsts = extremesAndSumsOf(datas);
  const passes = datas.map((data, index) => {
    const pass: FirstPass = { min: Infinity, max: -Infinity, sum: 0 };
    continueFirstPass(pass, data, firsts?.[index]);
    return pass;
  });
  const results: Statistics[] = new Array(datas.length);
  const pending: number[] = [];
  datas.forEach((data, index) => {
    if (undetermined(passes[index], data.length)) results[index] = UNDETERMINED;
    else pending.push(index);
  });
  const means = pending.map((index) => passes[index].sum / datas[index].length);
  const seconds = squaredDeviationsOfMany(
    pending.map((index) => datas[index]),
    means,
  );
  pending.forEach((index, p) => {
    const data = datas[index];
    const { min, max } = passes[index];
    const zero = min === 0 || max === 0 ? firstZero(data) : undefined;
    const squares = continueSecondPass(0, data, means[p], seconds?.[p]);
    results[index] = withZeroSign({ min, max, mean: means[p], rms: Math.sqrt(squares / data.length) }, zero);
  });
  return results;
}

/** A zero extreme gets the sign of the data's first zero (see the module comment). */
function withZeroSign(stats: Statistics, zero: number | undefined): Statistics {
  if (zero === undefined) return stats;
  return { ...stats, min: stats.min === 0 ? zero : stats.min, max: stats.max === 0 ? zero : stats.max };
}

/**
 * The statistics of `count` values given a piece at a time, in index order, twice: every piece to
 * {@link addToFirstPass}, then (from the start again) every piece to {@link addToSecondPass}; then
 * {@link result}. The same numbers as {@link statisticsOfMany} on the whole, bit for bit.
 */
export class PiecewiseStatistics {
  private readonly first: FirstPass = { min: Infinity, max: -Infinity, sum: 0 };
  private seen = 0;
  private squares = 0;
  private secondSeen = 0;
  private zero: number | undefined;

  constructor(private readonly count: number) {}

  addToFirstPass(piece: Float32Array): void {
    if (this.secondSeen > 0) throw new RangeError('the first pass is over');
    if (this.seen + piece.length > this.count) throw new RangeError(`more than the ${this.count} values announced`);
    continueFirstPass(this.first, piece, extremesAndSumsOf([piece], [this.first.sum])?.[0]);
    this.seen += piece.length;
  }

  /** The mean, once the first pass has seen every value (undefined when the statistics are undetermined). */
  get mean(): number | undefined {
    if (this.seen !== this.count) throw new RangeError(`the first pass has seen ${this.seen} of ${this.count} values`);
    return undetermined(this.first, this.count) ? undefined : this.first.sum / this.count;
  }

  /** Whether {@link addToSecondPass} is needed at all (not when the statistics are undetermined). */
  get needsSecondPass(): boolean {
    return this.mean !== undefined;
  }

  addToSecondPass(piece: Float32Array): void {
    const mean = this.mean;
    if (this.secondSeen + piece.length > this.count) throw new RangeError(`more than the ${this.count} values announced`);
    this.secondSeen += piece.length;
    if (mean === undefined) return;
    const { min, max } = this.first;
    if ((min === 0 || max === 0) && this.zero === undefined) this.zero = firstZero(piece);
    this.squares = continueSecondPass(this.squares, piece, mean, squaredDeviationsOfMany([piece], [mean], [this.squares])?.[0]);
  }

  result(): Statistics {
    const mean = this.mean;
    if (mean === undefined) return UNDETERMINED;
    if (this.secondSeen !== this.count) throw new RangeError(`the second pass has seen ${this.secondSeen} of ${this.count} values`);
    const { min, max } = this.first;
    return withZeroSign({ min, max, mean, rms: Math.sqrt(this.squares / this.count) }, this.zero);
  }
}
