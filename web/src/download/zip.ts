/**
 * All files of a run as one zip (fflate, off the main thread). Maps are stored, not compressed: float maps
 * shrink little, and deflating a few hundred MB in the browser took about 20 s; text and figures are small
 * and compress well.
 */
import { zip, type AsyncZippable } from 'fflate';
import type { FileBytes } from '../worker/protocol.js';
import { mapStem } from '../../../src/report/output-names.js';
import { saveBytes } from './save.js';

export function zipFiles(files: readonly FileBytes[]): Promise<Uint8Array> {
  const entries: AsyncZippable = {};
  for (const f of files) entries[f.name] = [f.bytes, { level: f.kind === 'map' ? 0 : 6 }];
  return new Promise((resolve, reject) => zip(entries, (error, data) => (error ? reject(error) : resolve(data))));
}

/** Saves a run's files as one zip, under the one name the app gives it wherever it is offered. */
export async function saveRunZip(files: readonly FileBytes[], run: number, inputName: string): Promise<void> {
  saveBytes(await zipFiles(files), `occupy_run${run}_${mapStem(inputName)}.zip`, 'application/zip');
}
