/** A worker thread of the Node pool (./worker-pool.ts): runs the parts of each step it is sent. */
import { parentPort } from 'node:worker_threads';
import { workOnStep } from '../core/parallel/kernels.js';
import type { RunMessage } from '../core/parallel/protocol.js';

parentPort?.on('message', (message: RunMessage) => workOnStep(message));
