/**
 * Permission tests need a user whom permissions apply to; root (as in CI's containers) reads and writes
 * anything. There, such a test runs its child processes as `nobody` through util-linux's `runuser`.
 */
import { spawnSync } from 'node:child_process';
import { chownSync } from 'node:fs';

export interface Unprivileged {
  /** The command line that runs `argv` (a program and its arguments) as the unprivileged user. */
  command(argv: string[]): string[];
  /** Hands a (scratch) folder to that user, so the child can work in it. */
  own(folder: string): void;
}

/**
 * How to run as an unprivileged user here, or why it cannot be done (then the test is skipped, saying so).
 * `reads`: files the child must read (the program's own; a checkout in a private folder is out of its reach).
 */
export function unprivileged(reads: string[] = []): Unprivileged | { reason: string } {
  if (process.getuid?.() !== 0) return { command: (argv) => argv, own: () => undefined };
  const ids = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const groups = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
  const probe = spawnSync('runuser', ['-u', 'nobody', '--', 'true']);
  if (ids.status !== 0 || groups.status !== 0 || probe.status !== 0) {
    return { reason: 'running as root, and no `runuser -u nobody` to drop privileges with' };
  }
  const unreadable = reads.filter((file) => spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', file]).status !== 0);
  if (unreadable.length > 0) return { reason: `running as root, and user nobody cannot read ${unreadable.join(', ')}` };
  const [uid, gid] = [Number(ids.stdout), Number(groups.stdout)];
  return {
    command: (argv) => ['runuser', '-u', 'nobody', '--', ...argv],
    own: (folder) => chownSync(folder, uid, gid),
  };
}
