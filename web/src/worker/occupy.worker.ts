/**
 * The worker behind the page: reads maps, runs jobs and holds their output files, so the page never freezes
 * while the core computes. One request at a time, in order (the page does not overlap runs).
 */
import { fixedValueRange } from '../../../src/core/volume.js';
import { encodeMrc, MapFormatError, type MapFile } from '../../../src/format/mrc-format.js';
import { InputError } from '../../../src/run/errors.js';
import { installParallelPool } from '../../../src/core/parallel/pool.js';
import { readMapBlob } from './read-map.js';
import { checkOpenedMap, checkRunnable } from './input-checks.js';
import { createBrowserPool } from './parallel-pool.js';
import { fileBytes, runInWorker, type FinishedRun } from './run-job.js';
import { KEPT_RUNS, type MapRole, type WorkerReply, type WorkerRequest } from './protocol.js';

const maps: Partial<Record<MapRole, { map: MapFile; fileName: string }>> = {};
const runs = new Map<number, FinishedRun>();

function reply(message: WorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

async function handle(request: WorkerRequest): Promise<void> {
  const { id } = request;
  switch (request.type) {
    case 'configure': {
      const pool = createBrowserPool(request.threads);
      installParallelPool(pool ?? null);
      reply({ id, type: 'configured', threads: pool?.threads ?? 1 });
      return;
    }
    case 'open': {
      const map = await readMapBlob(request.file, request.fileName);
      const warnings = checkOpenedMap(request.role, map, request.fileName);
      maps[request.role] = { map, fileName: request.fileName };
      const { nz, ny, nx, data } = map.volume;
      const copy = data.slice();
      reply(
        {
          id,
          type: 'opened',
          map: {
            role: request.role,
            fileName: request.fileName,
            shape: [nz, ny, nx],
            geometry: map.geometry,
            valueRange: fixedValueRange(data), // an opened map no longer changes: its range is computed once (the checks may have)
            data: copy,
            warnings: [...map.warnings, ...warnings],
          },
        },
        [copy.buffer],
      );
      return;
    }
    case 'close':
      delete maps[request.role];
      reply({ id, type: 'closed' });
      return;
    case 'run': {
      if (maps.input) checkRunnable(maps.input.map, maps.input.fileName, request.settings, maps.targetMask !== undefined);
      const finished = runInWorker({ ...request, maps, progress: (stage) => reply({ id, type: 'progress', stage }) });
      runs.set(request.run, finished);
      for (const old of [...runs.keys()].sort((a, b) => a - b).slice(0, -KEPT_RUNS)) runs.delete(old);
      const { summary } = finished;
      const buffers = [summary.scale, summary.confidence, summary.processing, ...summary.modified].flatMap((m) => (m ? [m.data.buffer] : []));
      reply({ id, type: 'ran', summary }, buffers);
      return;
    }
    case 'files': {
      const finished = runs.get(request.run);
      if (!finished) throw new UserFacingError(`the files of run ${request.run} are no longer kept; run it again to download them.`);
      const wanted = request.names ? finished.files.filter((f) => request.names!.includes(f.name)) : finished.files;
      const files = wanted.map((f) => ({ name: f.name, kind: f.kind, bytes: fileBytes(f) }));
      reply({ id, type: 'files', files }, files.map((f) => f.bytes.buffer));
      return;
    }
    case 'encode': {
      const opened = maps[request.role];
      if (!opened) throw new UserFacingError(`no ${request.role} map is open`);
      const bytes = encodeMrc(opened.map.volume, opened.map.geometry);
      reply({ id, type: 'encoded', bytes }, [bytes.buffer]);
      return;
    }
    case 'forget':
      for (const run of request.runs) runs.delete(run);
      reply({ id, type: 'forgotten' });
      return;
  }
}

class UserFacingError extends Error {}

/** Errors the user can act on (bad file, mismatched mask) are shown as they are; others as internal errors. */
function isUserError(error: unknown): boolean {
  return error instanceof UserFacingError || error instanceof InputError || error instanceof MapFormatError;
}

let queue: Promise<void> = Promise.resolve();
self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  queue = queue.then(() =>
    handle(request).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!isUserError(error) && error instanceof Error) console.error(error);
      reply({ id: request.id, type: 'error', message, userError: isUserError(error) });
    }),
  );
});
