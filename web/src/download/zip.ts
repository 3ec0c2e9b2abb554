/**
 * All files of a run as one zip (fflate). Maps are compressed at the fastest level: float maps shrink little
 * and a 256³ map should not keep the user waiting; fflate compresses off the main thread.
 */
import { zip, type AsyncZippable } from 'fflate';

export function zipFiles(files: readonly { name: string; bytes: Uint8Array }[]): Promise<Uint8Array> {
  const entries: AsyncZippable = {};
  for (const f of files) entries[f.name] = [f.bytes, { level: 1 }];
  return new Promise((resolve, reject) => zip(entries, (error, data) => (error ? reject(error) : resolve(data))));
}
