/** A worker of the browser pool (./parallel-pool.ts): runs the parts of each parallel step it is sent. */
import { kernelByName } from '../../../src/core/parallel/kernels.js';
import { takeParts, type RunMessage } from '../../../src/core/parallel/protocol.js';

self.addEventListener('message', (event: MessageEvent<RunMessage>) => {
  const message = event.data;
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
