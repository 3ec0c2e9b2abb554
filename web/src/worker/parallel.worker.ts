/** A worker of the browser pool (./parallel-pool.ts): runs the parts of each parallel step it is sent. */
import { workOnStep } from '../../../src/core/parallel/kernels.js';
import type { RunMessage } from '../../../src/core/parallel/protocol.js';

self.addEventListener('message', (event: MessageEvent<RunMessage>) => workOnStep(event.data));
