/**
 * What bin/huge-pages.cjs tells a CLI it relaunched with huge pages, in OCCUPY_RELAUNCHED: when the first
 * process started, why it relaunched, and the user's own GLIBC_TUNABLES (null when unset), given back to the
 * programs this one starts (ChimeraX, the janitor, a browser) by {@link takeRelaunch}.
 */
export interface Relaunch {
  /** The first process's start, in milliseconds since the epoch (its `performance.timeOrigin`). */
  at: number;
  why: string;
  glibcTunables: string | null;
}

/** This process's relaunch, or undefined when it was not relaunched (or the variable is not the launcher's). */
export function relaunchOf(env: NodeJS.ProcessEnv = process.env): Relaunch | undefined {
  const text = env.OCCUPY_RELAUNCHED;
  if (!text) return undefined;
  try {
    const r = JSON.parse(text) as Partial<Relaunch>;
    const tunablesOk = r.glibcTunables === null || typeof r.glibcTunables === 'string';
    return typeof r.at === 'number' && Number.isFinite(r.at) && typeof r.why === 'string' && tunablesOk ? (r as Relaunch) : undefined;
  } catch {
    return undefined;
  }
}

/** Milliseconds from the start of the process that relaunched this one to this process's start. */
export function relaunchMilliseconds(relaunch: Relaunch): number {
  return Math.max(0, performance.timeOrigin - relaunch.at);
}

/**
 * This process's relaunch, taken out of the environment: the environment is given back as the user had it
 * (glibc has read its tunables already), for the programs started from here.
 */
export function takeRelaunch(env: NodeJS.ProcessEnv = process.env): Relaunch | undefined {
  const relaunch = relaunchOf(env);
  if (!relaunch) return undefined;
  if (relaunch.glibcTunables === null) delete env.GLIBC_TUNABLES;
  else env.GLIBC_TUNABLES = relaunch.glibcTunables;
  delete env.OCCUPY_RELAUNCHED;
  return relaunch;
}
