/** A worker thread of the Node pool (./worker-pool.ts): runs the parts of each step it is sent. */
import { parentPort } from 'node:worker_threads';
import { kernelByName } from '../core/parallel/kernels.js';
import { takeParts, type RunMessage } from '../core/parallel/protocol.js';

parentPort?.on('message', (message: RunMessage) => {
  const kernel = kernelByName(message.kernel);
  takeParts(
    (part) => {
      if (!kernel) throw new Error(`no parallel kernel named ${message.kernel} (add it to src/core/parallel/kernels.ts)`);
      kernel.run(message.args as never, part);
    },
    message.parts,
    message.control,
    message.error,
  );
});
