/**
 * A minimal WebAssembly binary writer: enough to emit small SIMD kernels at run time, specialised to the
 * data's shape (offsets baked in as constants), without a compiler toolchain or a build step.
 *
 * Only what the kernels use is here: i32, f32, f64 and v128 locals, one exported memory, exported
 * functions (with results where given), structured control flow, and a handful of instructions. Every
 * instruction is written through a named method so that kernel code reads like the text format. See the WebAssembly core specification
 * (binary format, §5) and the fixed-width SIMD proposal for the opcodes.
 *
 * Isomorphic: plain bytes in, `WebAssembly.Module` out; works in Node and in browsers (inside a worker, where
 * synchronous compilation of any size is allowed).
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const I64 = 0x7e;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

/** Unsigned LEB128. */
function u32(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

/** Signed LEB128 for a 32-bit integer. */
function s32(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** The body of one function, written instruction by instruction. */
export class Code {
  readonly bytes: number[] = [];

  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }

  private simd(opcode: number): this {
    this.bytes.push(0xfd);
    u32(this.bytes, opcode);
    return this;
  }

  private memarg(alignLog2: number, offset: number): this {
    if (!(Number.isInteger(offset) && offset >= 0 && offset <= 0xffffffff)) {
      throw new RangeError(`memory offset must be a non-negative 32-bit integer, got ${offset}`);
    }
    u32(this.bytes, alignLog2);
    u32(this.bytes, offset);
    return this;
  }

  localGet(index: number): this {
    this.op(0x20);
    u32(this.bytes, index);
    return this;
  }
  localSet(index: number): this {
    this.op(0x21);
    u32(this.bytes, index);
    return this;
  }
  localTee(index: number): this {
    this.op(0x22);
    u32(this.bytes, index);
    return this;
  }
  i32Const(value: number): this {
    this.op(0x41);
    s32(this.bytes, value);
    return this;
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  i32Load(offset = 0): this {
    return this.op(0x28).memarg(2, offset);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Or(): this {
    return this.op(0x72);
  }
  i32Xor(): this {
    return this.op(0x73);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }
  i32Rotl(): this {
    return this.op(0x77);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32GtU(): this {
    return this.op(0x4b);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  /** The f64 on the stack truncated towards zero to an i32 (as C's `(int)x`; traps outside the i32 range). */
  i32TruncF64S(): this {
    return this.op(0xaa);
  }
  /** The low 32 bits of the i64 on the stack. */
  i32WrapI64(): this {
    return this.op(0xa7);
  }
  /** The i32 on the stack, read as unsigned, as i64. */
  i64ExtendI32U(): this {
    return this.op(0xad);
  }
  i64Shl(): this {
    return this.op(0x86);
  }
  i64ShrU(): this {
    return this.op(0x88);
  }
  i64Const(value: number): this {
    if (!(Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)) {
      throw new RangeError(`i64.const takes a 32-bit integer here, got ${value}`);
    }
    this.op(0x42);
    s32(this.bytes, value); // a signed LEB128 of a 32-bit value is the same bytes as of its 64-bit extension
    return this;
  }
  /** The bits of the f64 on the stack as an i64, and back. */
  i64ReinterpretF64(): this {
    return this.op(0xbd);
  }
  f64ReinterpretI64(): this {
    return this.op(0xbf);
  }
  i32Store(offset = 0): this {
    return this.op(0x36).memarg(2, offset);
  }
  f32Load(offset = 0): this {
    return this.op(0x2a).memarg(2, offset);
  }
  /** IEEE single-precision division (round to nearest even). */
  f32Div(): this {
    return this.op(0x95);
  }
  /** f32 `a > b` (i32 0 or 1; false when either is NaN). */
  f32Gt(): this {
    return this.op(0x5e);
  }
  f32Const(value: number): this {
    this.op(0x43);
    this.bytes.push(...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }
  f32Store(offset = 0): this {
    return this.op(0x38).memarg(2, offset);
  }
  f64Load(offset = 0): this {
    return this.op(0x2b).memarg(3, offset);
  }
  f64Store(offset = 0): this {
    return this.op(0x39).memarg(3, offset);
  }
  /** IEEE double-precision arithmetic (round to nearest even; no fused multiply-add). */
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Sub(): this {
    return this.op(0xa1);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f64Div(): this {
    return this.op(0xa3);
  }
  f64Neg(): this {
    return this.op(0x9a);
  }
  f64Const(value: number): this {
    this.op(0x44);
    this.bytes.push(...new Uint8Array(new Float64Array([value]).buffer));
    return this;
  }
  f64Abs(): this {
    return this.op(0x99);
  }
  /** f64 comparisons (i32 0 or 1; false when either is NaN). */
  f64Lt(): this {
    return this.op(0x63);
  }
  f64Gt(): this {
    return this.op(0x64);
  }
  f64Eq(): this {
    return this.op(0x61);
  }
  /** The i32 on the stack, read as signed, as f64 (exact). */
  f64ConvertI32S(): this {
    return this.op(0xb7);
  }
  /** The i32 on the stack, read as unsigned, as f64 (exact). */
  f64ConvertI32U(): this {
    return this.op(0xb8);
  }
  /** The f32 on the stack as f64 (exact). */
  f64PromoteF32(): this {
    return this.op(0xbb);
  }
  /** f32 comparisons (i32 0 or 1; false when either is NaN). */
  f32Lt(): this {
    return this.op(0x5d);
  }
  /** f32 `a == b` (-0 equals +0; false when either is NaN). */
  f32Eq(): this {
    return this.op(0x5b);
  }
  /** f32 `a != b` (true when either is NaN: `v != v` tests for NaN). */
  f32Ne(): this {
    return this.op(0x5c);
  }
  f32Ge(): this {
    return this.op(0x60);
  }
  /** `select`: of the two values below an i32 condition, the first when it is non-zero. */
  select(): this {
    return this.op(0x1b);
  }
  /** `if` without a result (the i32 condition on the stack); `else()` optional, `end()` closes it. */
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  /** `memory.copy` (bulk memory) of (destination, source, bytes) on the stack; overlapping ranges copy as memmove. */
  memoryCopy(): this {
    return this.op(0xfc, 0x0a, 0x00, 0x00);
  }
  /** `return`: leaves the function with the values its result types ask for on the stack. */
  return(): this {
    return this.op(0x0f);
  }
  /** `call` of the function with this index (its position in the module's function list). */
  call(index: number): this {
    this.op(0x10);
    u32(this.bytes, index);
    return this;
  }

  /** `block` with no result; `end()` closes it. A branch to it jumps past its end. */
  block(): this {
    return this.op(0x02, 0x40);
  }
  /** `loop` with no result; a branch to it jumps back to its start. */
  loop(): this {
    return this.op(0x03, 0x40);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    this.op(0x0c);
    u32(this.bytes, depth);
    return this;
  }
  brIf(depth: number): this {
    this.op(0x0d);
    u32(this.bytes, depth);
    return this;
  }

  /** v128.load with a constant byte offset (alignment hint 1 byte: the addresses need not be aligned). */
  v128Load(offset = 0): this {
    return this.simd(0x00).memarg(0, offset);
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b).memarg(0, offset);
  }
  /** `f32x4.pmax(a, b)` = lane-wise `a < b ? b : a` (keeps `a` on ties and NaN, as JS `b > a ? b : a`). */
  f32x4Pmax(): this {
    return this.simd(0xeb);
  }
  /** `f32x4.pmin(a, b)` = lane-wise `b < a ? b : a` (keeps `a` on ties and NaN). */
  f32x4Pmin(): this {
    return this.simd(0xea);
  }
  /** Lane-wise `a == b` as all-ones / all-zeros lanes (false for NaN; -0 equals +0). */
  f32x4Eq(): this {
    return this.simd(0x41);
  }
  /** `v128.andnot(a, b)` = `a & ~b`, bitwise. */
  v128AndNot(): this {
    return this.simd(0x4f);
  }
  /** i32 1 when any bit of the v128 is set, else 0. */
  v128AnyTrue(): this {
    return this.simd(0x53);
  }
  /** Lane-wise `a > b` as all-ones / all-zeros lanes (false for NaN). */
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  /** `v128.or`, bitwise. */
  v128Or(): this {
    return this.simd(0x50);
  }
  /** Lane-wise `a != b` as all-ones / all-zeros lanes (true for NaN: `v != v` finds NaN lanes). */
  f32x4Ne(): this {
    return this.simd(0x42);
  }
  /** `v128.and`, bitwise. */
  v128And(): this {
    return this.simd(0x4e);
  }
  /** IEEE double-precision lane-wise arithmetic on two f64 lanes (no fused multiply-add). */
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  /** The two low f32 lanes as f64 lanes (exact). */
  f64x2PromoteLowF32x4(): this {
    return this.simd(0x5f);
  }
  /** The two f64 lanes rounded to f32 (to nearest, ties to even) in the two low lanes; the high lanes zero. */
  f32x4DemoteF64x2Zero(): this {
    return this.simd(0x5e);
  }
  /** A v128 of four float32 lanes (each value rounded to float32 as a Float32Array stores it). */
  f32x4Const(a: number, b = a, c = a, d = a): this {
    this.simd(0x0c);
    this.bytes.push(...new Uint8Array(new Float32Array([a, b, c, d]).buffer));
    return this;
  }
  /** `i8x16.shuffle` of the two vectors on the stack: byte i of the result is byte `lanes[i]` of a‖b. */
  i8x16Shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31)) {
      throw new RangeError('a shuffle takes 16 byte lanes in 0..31');
    }
    this.simd(0x0d);
    this.bytes.push(...lanes);
    return this;
  }
  /** `f32x4.splat` of an f32 on the stack. */
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  /** Lane-wise IEEE minimum / maximum (NaN if either lane is NaN; -0 is below +0). */
  f32x4Min(): this {
    return this.simd(0xe8);
  }
  f32x4Max(): this {
    return this.simd(0xe9);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  /** Lanes truncated towards zero to i32, saturating (NaN to 0). */
  i32x4TruncSatF32x4S(): this {
    return this.simd(0xf8);
  }
  i32x4MinS(): this {
    return this.simd(0xb6);
  }
  i32x4MaxS(): this {
    return this.simd(0xb8);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  i32x4ExtractLane(lane: number): this {
    this.simd(0x1b);
    this.bytes.push(lane);
    return this;
  }
  f32x4ExtractLane(lane: number): this {
    this.simd(0x1f);
    this.bytes.push(lane);
    return this;
  }
  /** Lane-wise IEEE single-precision operations (round to nearest even, subnormals kept, no fused multiply-add). */
  f32x4Neg(): this {
    return this.simd(0xe1);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
}

export interface FunctionSpec {
  name: string;
  params: ValueType[];
  /** Result types (none when absent): the body ends with them on the stack, or leaves by `return()`. */
  results?: ValueType[];
  /** Extra locals after the parameters, in order. */
  locals: ValueType[];
  body: Code;
}

/**
 * A module's bytes as a list of pieces, copied once into one array at the end (`concat`): a generated body is
 * tens of KB, and copying it element by element from section to section (cold code) took ~5 ms of a run.
 */
type Pieces = (readonly number[])[];

function byteLength(pieces: Pieces): number {
  let n = 0;
  for (const piece of pieces) n += piece.length;
  return n;
}

function concat(pieces: Pieces): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(byteLength(pieces));
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}

function section(out: Pieces, id: number, content: Pieces): void {
  const header = [id];
  u32(header, byteLength(content));
  out.push(header, ...content);
}

function name(out: number[], text: string): void {
  const bytes = new TextEncoder().encode(text);
  u32(out, bytes.length);
  out.push(...bytes);
}

/** A memory the module imports as `env.memory` instead of defining its own. */
export interface ImportedMemory {
  /** Minimum size in 64 KiB pages. */
  minimumPages: number;
  /** Maximum size in pages (required for shared memory). */
  maximumPages?: number;
  /** A shared memory (a SharedArrayBuffer that several threads' instances use). */
  shared?: boolean;
}

/**
 * A module with one memory of `memory` 64 KiB pages (exported as "memory", growable), or one imported
 * as `env.memory` (an `ImportedMemory`), and the given functions, each exported under its name (function `i`
 * of the list can `call(i)` another). A function returns what its `results` say (nothing by default).
 */
export function assembleModule(functions: FunctionSpec[], memory: number | ImportedMemory): Uint8Array<ArrayBuffer> {
  const out: Pieces = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];

  const types: number[] = [];
  u32(types, functions.length);
  for (const f of functions) {
    types.push(0x60);
    u32(types, f.params.length);
    types.push(...f.params);
    u32(types, f.results?.length ?? 0);
    types.push(...(f.results ?? []));
  }
  section(out, 1, [types]);

  if (typeof memory !== 'number') {
    if (memory.shared && memory.maximumPages === undefined) throw new RangeError('a shared memory needs a maximum size');
    const imports: number[] = [];
    u32(imports, 1);
    name(imports, 'env');
    name(imports, 'memory');
    imports.push(0x02);
    imports.push(memory.maximumPages === undefined ? 0x00 : memory.shared ? 0x03 : 0x01);
    u32(imports, memory.minimumPages);
    if (memory.maximumPages !== undefined) u32(imports, memory.maximumPages);
    section(out, 2, [imports]);
  }

  const funcs: number[] = [];
  u32(funcs, functions.length);
  functions.forEach((_, i) => u32(funcs, i));
  section(out, 3, [funcs]);

  const ownMemory = typeof memory === 'number';
  if (ownMemory) {
    const memorySection: number[] = [];
    u32(memorySection, 1);
    memorySection.push(0x00);
    u32(memorySection, memory);
    section(out, 5, [memorySection]);
  }

  const exports: number[] = [];
  u32(exports, functions.length + (ownMemory ? 1 : 0));
  if (ownMemory) {
    name(exports, 'memory');
    exports.push(0x02);
    u32(exports, 0);
  }
  functions.forEach((f, i) => {
    name(exports, f.name);
    exports.push(0x00);
    u32(exports, i);
  });
  section(out, 7, [exports]);

  const countBytes: number[] = [];
  u32(countBytes, functions.length);
  const code: Pieces = [countBytes];
  for (const f of functions) {
    const locals: number[] = [];
    // Locals as runs of equal type.
    const runs: [number, ValueType][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    u32(locals, runs.length);
    for (const [count, t] of runs) {
      u32(locals, count);
      locals.push(t);
    }
    const end = [0x0b];
    const size: number[] = [];
    u32(size, locals.length + f.body.bytes.length + end.length);
    code.push(size, locals, f.body.bytes, end);
  }
  section(out, 10, code);
  return concat(out);
}

let simdSupport: boolean | undefined;

/** Whether this engine runs WebAssembly with 128-bit SIMD (checked once by validating a tiny module). */
export function hasWasmSimd(): boolean {
  if (simdSupport === undefined) {
    try {
      const body = new Code().i32Const(0).v128Load().i32Const(0).v128Load().f32x4Pmax().localSet(0);
      const bytes = assembleModule([{ name: 'probe', params: [], locals: [V128], body }], 1);
      simdSupport = typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
    } catch {
      simdSupport = false;
    }
  }
  return simdSupport;
}

/** Grows `memory` to at least `bytes` (a growth replaces its buffer: views of the old one must be made again). */
export function ensureMemoryBytes(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}

/**
 * A fixed set of kernels compiled into one module on first use, shared by every call after it. `get()` gives
 * the module's exports, or null where WebAssembly SIMD is missing or the kernels are turned off
 * (`setEnabled(false)`: the callers' JavaScript loops run instead, which the tests compare them with).
 */
export interface LazyKernels<T> {
  get(): T | null;
  setEnabled(on: boolean): void;
}

export function lazyKernels<T>(functions: () => FunctionSpec[], memoryBytes: number): LazyKernels<T> {
  let compiled: T | null | undefined;
  let enabled = true;
  return {
    get() {
      if (!enabled) return null;
      if (compiled === undefined) {
        compiled = null;
        if (hasWasmSimd()) {
          const bytes = assembleModule(functions(), Math.ceil(memoryBytes / 65536));
          compiled = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as T;
        }
      }
      return compiled;
    },
    setEnabled(on) {
      enabled = on;
    },
  };
}
