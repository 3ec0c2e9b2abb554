/**
 * File-system failures as one line a user can act on (the CLI prints a FileError, like a MapFormatError, without
 * a stack trace): shared by reading and writing maps (map-file.ts) and making output folders (folders.ts).
 */
import * as path from 'node:path';
import { MapFormatError } from '../format/mrc-format.js';

/**
 * A file or folder the user named that cannot be used as it is — missing, unreadable, a folder in the way, a
 * name used twice, a full or read-only disk — said in one line naming it. What is wrong inside a map is a
 * `MapFormatError`.
 */
export class FileError extends Error {
  override name = 'FileError';
}

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
  if (error instanceof MapFormatError || error instanceof FileError) return error;
  const code = systemErrorCode(error);
  if (code === undefined) return error;
  switch (code) {
    case 'ENOENT':
      return new FileError(
        action === 'read' ? `${filePath}: no such file` : `${filePath}: cannot write, the directory ${directory} does not exist`,
      );
    case 'EISDIR':
      return new FileError(`${filePath}: is a directory, not a map file`);
    case 'ENOTDIR':
      return new FileError(`${filePath}: part of this path is a file, not a directory`);
    case 'EACCES':
    case 'EPERM':
      return new FileError(
        action === 'read'
          ? `${filePath}: permission denied; the file cannot be read`
          : `${filePath}: permission denied; cannot write in ${directory}`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new FileError(`${filePath}: the disk is full (or over quota); nothing was written`);
    case 'EROFS':
      return new FileError(`${filePath}: the file system is read-only; write the outputs elsewhere`);
    case 'ENAMETOOLONG':
      return new FileError(`${filePath}: the file name is too long`);
    case 'ELOOP':
      return new FileError(`${filePath}: its symbolic links lead round in a loop; point them at the map file`);
    case 'ESPIPE':
      return pipeError(filePath);
    default:
      return new FileError(`${filePath}: cannot ${action} the file (${code}: ${(error as Error).message})`);
  }
}

/** Reading jumps back and forth in the file; a pipe only goes forward. */
export function pipeError(filePath: string): FileError {
  return new FileError(`${filePath}: is a pipe, not a file; save the map to a file and give that (a gzipped file need not be unzipped)`);
}
