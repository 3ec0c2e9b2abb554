/**
 * A small layer over the assembler (./assembler.ts) for writing one WebAssembly function: typed locals
 * allocated on demand, value-level helpers over v128 locals (each a lane-wise f32x4 operation, so IEEE single
 * precision with no fused multiply-add), splatted constants, counted loops with advancing pointers. Shared by
 * the kernels that generate code: the FFT passes (../fourier/single/simd-codegen.ts), the solvent and the
 * modification kernels.
 */
import { Code, F32, F64, I32, V128, type FunctionSpec, type ValueType } from './assembler.js';

const f = Math.fround;

/** One function being written: typed locals allocated on demand, and value-level helpers over v128 locals. */
export class FunctionWriter {
  readonly code = new Code();
  private readonly extra: ValueType[] = [];
  private readonly constants = new Map<number, number>();

  constructor(
    readonly name: string,
    readonly params: ValueType[],
  ) {}

  private local(t: ValueType): number {
    this.extra.push(t);
    return this.params.length + this.extra.length - 1;
  }
  /** A fresh v128 local. */
  v(): number {
    return this.local(V128);
  }
  /** A fresh i32 local. */
  i(): number {
    return this.local(I32);
  }
  /** A fresh f32 local. */
  f32(): number {
    return this.local(F32);
  }
  /** A fresh f64 local. */
  f64(): number {
    return this.local(F64);
  }

  /** A fresh v128 local holding the local (or parameter) `src` in every lane, as f32x4, i32x4 or f64x2. */
  splat(src: number, shape: 'f32x4' | 'i32x4' | 'f64x2' = 'f32x4'): number {
    const r = this.v();
    this.code.localGet(src);
    if (shape === 'f32x4') this.code.f32x4Splat();
    else if (shape === 'i32x4') this.code.i32x4Splat();
    else this.code.f64x2Splat();
    this.code.localSet(r);
    return r;
  }
  /** A fresh v128 local holding the i32 constant `value` in every lane. */
  splatI32(value: number): number {
    const r = this.v();
    this.code.i32Const(value).i32x4Splat().localSet(r);
    return r;
  }

  spec(): FunctionSpec {
    return { name: this.name, params: this.params, locals: this.extra, body: this.code };
  }

  /** `local = src + bytes` (src an i32 local). */
  mov(local: number, src: number, bytes = 0): void {
    this.code.localGet(src);
    if (bytes !== 0) this.code.i32Const(bytes).i32Add();
    this.code.localSet(local);
  }
  /** `local = value` (an i32 constant). */
  set(local: number, value: number): void {
    this.code.i32Const(value).localSet(local);
  }
  /** A new i32 local holding `src + bytes`. */
  ptr(src: number, bytes = 0): number {
    const p = this.i();
    this.mov(p, src, bytes);
    return p;
  }
  /** A new i32 local holding a constant. */
  constPtr(value: number): number {
    const p = this.i();
    this.set(p, value);
    return p;
  }

  ld(p: number, off: number): number {
    const r = this.v();
    this.code.localGet(p).v128Load(off).localSet(r);
    return r;
  }
  st(p: number, off: number, value: number): void {
    this.code.localGet(p).localGet(value).v128Store(off);
  }
  private binary(a: number, b: number, op: (c: Code) => void): number {
    const r = this.v();
    this.code.localGet(a).localGet(b);
    op(this.code);
    this.code.localSet(r);
    return r;
  }
  add(a: number, b: number): number {
    return this.binary(a, b, (c) => c.f32x4Add());
  }
  sub(a: number, b: number): number {
    return this.binary(a, b, (c) => c.f32x4Sub());
  }
  mul(a: number, b: number): number {
    return this.binary(a, b, (c) => c.f32x4Mul());
  }
  div(a: number, b: number): number {
    return this.binary(a, b, (c) => c.f32x4Div());
  }
  /** `b < a ? b : a` lane by lane (JavaScript's `a > b ? b : a` for the lanes' floats, NaN in a kept). */
  pmin(a: number, b: number): number {
    return this.binary(a, b, (c) => c.f32x4Pmin());
  }
  /** `a < b ? b : a` lane by lane. */
  pmax(a: number, b: number): number {
    return this.binary(a, b, (c) => c.f32x4Pmax());
  }
  neg(a: number): number {
    const r = this.v();
    this.code.localGet(a).f32x4Neg().localSet(r);
    return r;
  }
  /** `i8x16.shuffle(a, b)` with float lanes: result lane j is lane `lanes[j]` of a‖b (0–3 a, 4–7 b). */
  shuffle(a: number, b: number, lanes: readonly [number, number, number, number]): number {
    const bytes: number[] = [];
    for (const l of lanes) bytes.push(4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3);
    const r = this.v();
    this.code.localGet(a).localGet(b).i8x16Shuffle(bytes).localSet(r);
    return r;
  }
  /**
   * A splatted float32 constant in a local. Call in straight-line code that runs before any use (constants
   * are cached by value for the function).
   */
  konst(x: number): number {
    const key = f(x);
    let l = this.constants.get(Object.is(key, -0) ? -Infinity : key);
    if (l === undefined) {
      l = this.v();
      this.code.f32x4Const(key).localSet(l);
      this.constants.set(Object.is(key, -0) ? -Infinity : key, l);
    }
    return l;
  }
  zero(): number {
    return this.konst(0);
  }

  /**
   * `count` iterations of `body` (none for count <= 0, inline for 1), advancing each `[pointer, bytes]` of
   * `steps` after every iteration (so after the loop each pointer has moved `count` steps). Pointers are i32
   * locals set by the caller before the loop.
   */
  repeat(count: number, steps: readonly (readonly [number, number])[], body: () => void): void {
    if (count <= 0) return;
    if (count === 1) {
      body();
      for (const [p, bytes] of steps) this.mov(p, p, bytes);
      return;
    }
    const counter = this.i();
    this.code.i32Const(count).localSet(counter);
    this.code.loop();
    body();
    for (const [p, bytes] of steps) this.mov(p, p, bytes);
    this.code.localGet(counter).i32Const(1).i32Sub().localTee(counter).brIf(0);
    this.code.end();
  }

  /**
   * As `repeat`, with the number of iterations in an i32 local (counted down to zero; zero iterations allowed).
   */
  repeatCounted(counter: number, steps: readonly (readonly [number, number])[], body: () => void): void {
    this.code.block();
    this.code.localGet(counter).i32Eqz().brIf(0);
    this.code.loop();
    body();
    for (const [p, bytes] of steps) this.mov(p, p, bytes);
    this.code.localGet(counter).i32Const(1).i32Sub().localTee(counter).brIf(0);
    this.code.end();
    this.code.end();
  }

  /** Copies `count` vectors from `src` to `dst` (i32 locals, advanced) with the given byte strides. */
  copyVectors(dst: number, dstStride: number, src: number, srcStride: number, count: number): void {
    this.repeat(count, [[dst, dstStride], [src, srcStride]], () => this.st(dst, 0, this.ld(src, 0)));
  }

  /** Stores the zero vector at `count` vectors from `dst` (advanced), `stride` bytes apart. */
  zeroVectors(dst: number, stride: number, count: number): void {
    const z = this.zero();
    this.repeat(count, [[dst, stride]], () => this.st(dst, 0, z));
  }
}

/** 4×4 transpose of four vectors (rows) into four vectors (columns). */
export function transpose4(g: FunctionWriter, a: number, b: number, c: number, d: number): [number, number, number, number] {
  const t0 = g.shuffle(a, b, [0, 4, 1, 5]);
  const t1 = g.shuffle(a, b, [2, 6, 3, 7]);
  const t2 = g.shuffle(c, d, [0, 4, 1, 5]);
  const t3 = g.shuffle(c, d, [2, 6, 3, 7]);
  return [g.shuffle(t0, t2, [0, 1, 4, 5]), g.shuffle(t0, t2, [2, 3, 6, 7]), g.shuffle(t1, t3, [0, 1, 4, 5]), g.shuffle(t1, t3, [2, 3, 6, 7])];
}
