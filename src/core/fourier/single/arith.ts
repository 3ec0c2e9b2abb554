/**
 * Float32 arithmetic over an abstract value type, so that one transcription of a butterfly serves both the
 * scalar plans (a value is a JavaScript number rounded with `Math.fround`) and the WebAssembly SIMD code
 * generator (a value is a v128 local and each operation emits `f32x4.op`). Each operation is one IEEE
 * single-precision operation either way, so the two uses round identically by construction.
 */
export interface Arith<V> {
  add(a: V, b: V): V;
  sub(a: V, b: V): V;
  mul(a: V, b: V): V;
  /** A float32 constant (already representable in float32). */
  konst(x: number): V;
}

/** A complex value: real and imaginary parts. */
export interface Cx<V> {
  r: V;
  i: V;
}

const f = Math.fround;

/** Float32 arithmetic on numbers: each result rounded once, as the IEEE single-precision operation. */
export const scalarArith: Arith<number> = {
  add: (a, b) => f(a + b),
  sub: (a, b) => f(a - b),
  mul: (a, b) => f(a * b),
  konst: (x) => f(x),
};

export function cadd<V>(A: Arith<V>, a: Cx<V>, b: Cx<V>): Cx<V> {
  return { r: A.add(a.r, b.r), i: A.add(a.i, b.i) };
}

export function csub<V>(A: Arith<V>, a: Cx<V>, b: Cx<V>): Cx<V> {
  return { r: A.sub(a.r, b.r), i: A.sub(a.i, b.i) };
}

/** pocketfft's `special_mul<fwd>(v, w)`: forward multiplies by conj(w), backward by w. */
export function specialMul<V>(A: Arith<V>, v: Cx<V>, w: Cx<V>, fwd: boolean): Cx<V> {
  return fwd
    ? { r: A.add(A.mul(v.r, w.r), A.mul(v.i, w.i)), i: A.sub(A.mul(v.i, w.r), A.mul(v.r, w.i)) }
    : { r: A.sub(A.mul(v.r, w.r), A.mul(v.i, w.i)), i: A.add(A.mul(v.r, w.i), A.mul(v.i, w.r)) };
}
