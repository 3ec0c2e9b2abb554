/**
 * `--emdb ID`: fetch an EMDB entry's main map over HTTPS, unzip it, keep it as `emd_<id>.map` for the next
 * run, and return its path. The download goes to a temporary file that is renamed into place only when
 * complete and readable as a map, so a failed or interrupted download leaves nothing behind.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { checkMapFileHeader, gunzipModules, temporaryFileFor } from '../io/map-file.js';
import { InputError } from '../run/errors.js';

export const DEFAULT_EMDB_SERVER = 'https://ftp.ebi.ac.uk/pub/databases/emdb/structures';

/** `3061`, `EMD-3061`, `emd_3061` → `3061` (at least four digits, as EMDB numbers are). */
export function emdbNumber(id: string): string {
  const m = /^(?:emd[-_]?)?(\d{4,})$/i.exec(id.trim());
  if (!m) throw new InputError(`--emdb: '${id}' is not an EMDB entry number (e.g. 3061 or EMD-3061).`);
  return m[1];
}

/**
 * `server` as an archive's base address, trimmed: an absolute http(s) address without a query or fragment (the
 * entry's path is appended to it; trailing slashes are kept, `emdbMapUrl` drops them). Refused in one line
 * saying where it came from (`--emdb-server` or OCCUPY_EMDB_SERVER).
 */
export function emdbServer(server: string, source: string): string {
  const text = server.trim();
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError(`${source}: '${server}' is not an http(s) address (e.g. ${DEFAULT_EMDB_SERVER}).`);
  }
  if (url.search || url.hash || /[?#]/.test(text)) {
    throw new InputError(`${source}: '${server}' has a query or fragment (?… or #…); give the archive's base address (e.g. ${DEFAULT_EMDB_SERVER}).`);
  }
  return text;
}

/** Where the archive keeps an entry's main map (gzipped). */
export function emdbMapUrl(server: string, number: string): string {
  return `${server.replace(/\/+$/, '')}/EMD-${number}/map/emd_${number}.map.gz`;
}

export async function fetchEmdbMap(
  id: string,
  options: { server?: string; directory: string; say?: (message: string) => void },
): Promise<string> {
  const number = emdbNumber(id);
  const target = path.join(options.directory, `emd_${number}.map`);
  if (existsSync(target)) {
    options.say?.(`Using EMD-${number} downloaded earlier: ${target}`);
    return target;
  }
  const fromEnvironment = process.env.OCCUPY_EMDB_SERVER?.trim() ? process.env.OCCUPY_EMDB_SERVER : undefined;
  const server = options.server ?? (fromEnvironment ? emdbServer(fromEnvironment, 'OCCUPY_EMDB_SERVER') : DEFAULT_EMDB_SERVER);
  const url = emdbMapUrl(server, number);
  options.say?.(`Fetching EMD-${number} from ${url}…`);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new InputError(`--emdb ${id}: could not reach ${new URL(url).host} (${cause}); check the network or the entry number.`);
  }
  if (!response.ok || !response.body) {
    throw new InputError(
      response.status === 404
        ? `--emdb ${id}: the archive has no map for EMD-${number} (${url} not found).`
        : `--emdb ${id}: the download failed with HTTP ${response.status} ${response.statusText} (${url}).`,
    );
  }
  // Removed if the process ends first, like every output's temporary (io/temporaries.ts).
  const { path: temporary, release } = temporaryFileFor(target);
  try {
    const [{ pipeline, createGunzip }, { Readable }] = await Promise.all([gunzipModules(), import('node:stream')]);
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createGunzip(), createWriteStream(temporary, { flags: 'wx' }));
    await checkMapFileHeader(temporary); // refuse a download that is not a complete map before keeping it
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    if (error instanceof InputError) throw error;
    const reason = error instanceof Error ? error.message.replace(temporary, 'the download') : String(error);
    throw new InputError(`--emdb ${id}: the download from ${url} is not a usable map (${reason}); nothing was kept.`);
  } finally {
    release();
  }
  return target;
}
