/**
 * All files of a run as one zip (fflate, off the main thread). Maps are stored, not compressed: float maps
 * shrink little, and deflating a few hundred MB in the browser took about 20 s; text and figures are small
 * and compress well.
 */
import { zip, type AsyncZippable } from 'fflate';

/** Stored (level 0) for maps; deflated for the rest. */
function levelFor(name: string): 0 | 6 {
  return /\.(mrc|map|ccp4)$/i.test(name) ? 0 : 6;
}

export function zipFiles(files: readonly { name: string; bytes: Uint8Array }[]): Promise<Uint8Array> {
  const entries: AsyncZippable = {};
  for (const f of files) entries[f.name] = [f.bytes, { level: levelFor(f.name) }];
  return new Promise((resolve, reject) => zip(entries, (error, data) => (error ? reject(error) : resolve(data))));
}
