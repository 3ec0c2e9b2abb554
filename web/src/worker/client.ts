/** The page's side of the worker: one promise per request, progress through a callback. */
import type { RunSettings } from '../../../src/run/settings.js';
import type { FileBytes, MapRole, OpenedMap, RunSummary, WorkerReply, WorkerRequest } from './protocol.js';

type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void; progress?: (stage: string) => void };

/** An error the user caused and can fix (unreadable file, mismatched mask): shown without "internal error". */
export class UserError extends Error {}

/** A request before it is given its id (Omit applied to each member of the union). */
type Outgoing = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export class OccupyWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./occupy.worker.ts', import.meta.url), { type: 'module', name: 'occupy' });
    this.worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => this.receive(event.data));
    this.worker.addEventListener('error', (event) => {
      const error = new Error(`the worker failed: ${event.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  /** Sets up the threads of the core's parallel steps; returns how many there are (1 without shared memory). */
  async configure(threads: number): Promise<number> {
    const reply = await this.request({ type: 'configure', threads });
    return expect(reply, 'configured').threads;
  }

  async open(role: MapRole, file: Blob, fileName: string): Promise<OpenedMap> {
    const reply = await this.request({ type: 'open', role, file, fileName });
    return expect(reply, 'opened').map;
  }

  async close(role: MapRole): Promise<void> {
    await this.request({ type: 'close', role });
  }

  async run(run: number, settings: RunSettings, version: string, progress: (stage: string) => void): Promise<RunSummary> {
    const reply = await this.request({ type: 'run', run, settings, version }, progress);
    return expect(reply, 'ran').summary;
  }

  /** The named output files of a run (all of them without names). */
  async files(run: number, names?: string[]): Promise<FileBytes[]> {
    const reply = await this.request({ type: 'files', run, names });
    return expect(reply, 'files').files;
  }

  /** An opened map as MRC bytes. */
  async encode(role: MapRole): Promise<Uint8Array> {
    const reply = await this.request({ type: 'encode', role });
    return expect(reply, 'encoded').bytes;
  }

  async forget(runs: number[]): Promise<void> {
    await this.request({ type: 'forget', runs });
  }

  private request(message: Outgoing, progress?: (stage: string) => void): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      this.worker.postMessage({ ...message, id } as WorkerRequest);
    });
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.type === 'progress') {
      pending.progress?.(reply.stage);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'error') pending.reject(reply.userError ? new UserError(reply.message) : new Error(reply.message));
    else pending.resolve(reply);
  }
}

function expect<T extends WorkerReply['type']>(reply: WorkerReply, type: T): Extract<WorkerReply, { type: T }> {
  if (reply.type !== type) throw new Error(`unexpected worker reply ${reply.type} (expected ${type})`);
  return reply as Extract<WorkerReply, { type: T }>;
}
