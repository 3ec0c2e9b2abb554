/** Waits (blocking the thread, up to `ms`) until `done()`: for files another process removes or writes. */
export function waitFor(done: () => boolean, ms = 5000): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) Atomics.wait(sleeper, 0, 0, 20);
}
