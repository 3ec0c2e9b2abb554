/**
 * What bin/huge-pages.cjs tells a CLI it relaunched with huge pages, in OCCUPY_RELAUNCHED: when the first
 * process started, why it relaunched, and the user's own values of the variables it changed for the child
 * (GLIBC_TUNABLES, and NODE_EXTRA_CA_CERTS when the child needs no certificates), given back to the programs
 * this one starts (ChimeraX, the janitor, a browser) by {@link takeRelaunch}.
 */
export interface Relaunch {
  /** The first process's start, in milliseconds since the epoch (its `performance.timeOrigin`). */
  at: number;
  why: string;
  /** Each variable changed for this process, with the user's value (null: unset). */
  userEnvironment: Record<string, string | null>;
}

function isUserEnvironment(value: unknown): value is Record<string, string | null> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => v === null || typeof v === 'string');
}

/** This process's relaunch, or undefined when it was not relaunched (or the variable is not the launcher's). */
export function relaunchOf(env: NodeJS.ProcessEnv = process.env): Relaunch | undefined {
  const text = env.OCCUPY_RELAUNCHED;
  if (!text) return undefined;
  try {
    const r = JSON.parse(text) as Partial<Relaunch>;
    return typeof r.at === 'number' && Number.isFinite(r.at) && typeof r.why === 'string' && isUserEnvironment(r.userEnvironment)
      ? (r as Relaunch)
      : undefined;
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
 * (glibc and Node have read what they read at start already), for the programs started from here.
 */
export function takeRelaunch(env: NodeJS.ProcessEnv = process.env): Relaunch | undefined {
  const relaunch = relaunchOf(env);
  if (!relaunch) return undefined;
  for (const [name, value] of Object.entries(relaunch.userEnvironment)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  delete env.OCCUPY_RELAUNCHED;
  return relaunch;
}
