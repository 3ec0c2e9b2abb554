/**
 * File-system failures as one line a user can act on (the CLI prints a MapFormatError without a stack trace):
 * shared by reading and writing maps (map-file.ts) and making output folders (folders.ts).
 */
import * as path from 'node:path';
import { MapFormatError } from '../format/mrc-format.js';

/**
 * The code of a system error (ENOENT, EACCES, ...), which is the user's to fix; undefined for anything else,
 * such as Node's ERR_* codes, which are programming errors.
 */
export function systemErrorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/**
 * One line for a file-system failure about `filePath` (a file; writing goes into `directory`, by default its
 * folder), or the error itself when it is not one.
 */
export function fileSystemError(filePath: string, error: unknown, action: 'read' | 'write', directory = path.dirname(filePath)): unknown {
  if (error instanceof MapFormatError) return error;
  const code = systemErrorCode(error);
  if (code === undefined) return error;
  switch (code) {
    case 'ENOENT':
      return new MapFormatError(
        action === 'read' ? `${filePath}: no such file` : `${filePath}: cannot write, the directory ${directory} does not exist`,
      );
    case 'EISDIR':
      return new MapFormatError(`${filePath}: is a directory, not a map file`);
    case 'ENOTDIR':
      return new MapFormatError(`${filePath}: part of this path is a file, not a directory`);
    case 'EACCES':
    case 'EPERM':
      return new MapFormatError(
        action === 'read'
          ? `${filePath}: permission denied; the file cannot be read`
          : `${filePath}: permission denied; cannot write in ${directory}`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new MapFormatError(`${filePath}: the disk is full (or over quota); nothing was written`);
    case 'EROFS':
      return new MapFormatError(`${filePath}: the file system is read-only; write the outputs elsewhere`);
    case 'ENAMETOOLONG':
      return new MapFormatError(`${filePath}: the file name is too long`);
    case 'ELOOP':
      return new MapFormatError(`${filePath}: its symbolic links lead round in a loop; point them at the map file`);
    case 'ESPIPE':
      return pipeError(filePath);
    default:
      return new MapFormatError(`${filePath}: cannot ${action} the file (${code}: ${(error as Error).message})`);
  }
}

/** Reading jumps back and forth in the file; a pipe only goes forward. */
export function pipeError(filePath: string): MapFormatError {
  return new MapFormatError(`${filePath}: is a pipe, not a file; save the map to a file and give that (a gzipped file need not be unzipped)`);
}
