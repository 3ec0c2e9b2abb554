/**
 * How much memory a run may use (Node only): the machine's physical memory, or less where a container's
 * cgroup limit says so, or what `OCCUPY_MEMORY_LIMIT` sets (bytes, or with a unit: `512M`, `4G`, `1.5GiB`).
 */
import { freemem, totalmem } from 'node:os';

export interface MemoryLimit {
  bytes: number;
  /** Where the limit comes from, for messages. */
  source: string;
  /** Memory free right now (Linux: MemAvailable), for a warning when a run would need more. */
  available: number;
}

/** `4G`, `512MiB`, `1.5 GB`, `1073741824` → bytes (binary units); undefined when not understood. */
export function parseMemorySize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const bytes = Math.floor(Number(m[1]) * 1024 ** power);
  return bytes > 0 && Number.isFinite(bytes) ? bytes : undefined; // '0.5' is no byte at all
}

/** What `OCCUPY_MEMORY_LIMIT` says: nothing (unset or blank), a size, or text that is not a size. */
export type MemoryLimitSetting = { kind: 'unset' } | { kind: 'size'; bytes: number } | { kind: 'invalid'; text: string };

export function memoryLimitSetting(env: NodeJS.ProcessEnv = process.env): MemoryLimitSetting {
  const text = env.OCCUPY_MEMORY_LIMIT;
  if (text === undefined || text.trim() === '') return { kind: 'unset' };
  const bytes = parseMemorySize(text);
  return bytes === undefined ? { kind: 'invalid', text } : { kind: 'size', bytes };
}

/** The limit a run plans against; an invalid setting is the caller's to refuse first, and is passed over here. */
export function memoryLimit(env: NodeJS.ProcessEnv = process.env): MemoryLimit {
  const available = freemem();
  const setting = memoryLimitSetting(env);
  if (setting.kind === 'size') return { bytes: setting.bytes, source: 'OCCUPY_MEMORY_LIMIT', available };
  const total = totalmem();
  // 0 or a huge number when there is no limit (process.constrainedMemory: Node 19.6+).
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  if (constrained > 0 && constrained < total) return { bytes: constrained, source: "the container's memory limit", available };
  return { bytes: total, source: "this machine's memory", available };
}
