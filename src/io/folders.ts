/**
 * Output folders: checked before a run starts (so a folder that can never be made fails in a second, not after
 * the computation) and made, with any missing parents, just before the outputs are written.
 *
 * Folders are made one level at a time rather than with `mkdir(…, { recursive: true })`: Node 20's recursive
 * mkdir never returns when the system answers ENOENT for a folder whose parent exists (as /proc and /sys do),
 * and its errors name the deepest folder rather than what is wrong with the path.
 */
import * as path from 'node:path';
import { access, constants, lstat, mkdir, stat } from 'node:fs/promises';
import { FileError, fileSystemError, systemErrorCode } from './system-errors.js';

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/** The nearest folder of `folder` and its parents that exists, and the missing ones below it, outermost first. */
async function existingAncestor(folder: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  let at = path.resolve(folder);
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(at)).isDirectory();
    } catch (error) {
      const code = codeOf(error);
      // A symbolic link to nothing: mkdir would fail on it, and only when the outputs are written.
      if (code === 'ENOENT' && (await isLink(at))) {
        throw new FileError(`${folder}: cannot be used as the output folder, ${at} is a symbolic link to a folder that does not exist`);
      }
      // ENOTDIR: a parent is a file; going up finds it and says so.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(at) !== at) {
        missing.unshift(at);
        at = path.dirname(at);
        continue;
      }
      throw folderError(folder, error, at);
    }
    if (!isDirectory) throw new FileError(`${folder}: cannot be used as the output folder, ${at} is not a folder`);
    return { existing: at, missing };
  }
}

/** Whether `folder` is an existing folder (false for anything else, or when it cannot be looked at). */
export async function isFolder(folder: string): Promise<boolean> {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

async function isLink(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Failures writing in a folder that are worded as for any file written there (permission, read-only, full). */
const WRITE_FAILURES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);

/** One line for a failure to check or make `folder` (at `at`, the folder being looked at or made in). */
function folderError(folder: string, error: unknown, at: string): unknown {
  const code = systemErrorCode(error);
  if (code === undefined) return error;
  if (WRITE_FAILURES.has(code)) return fileSystemError(folder, error, 'write', at);
  if (code === 'ENAMETOOLONG') return new FileError(`${folder}: the folder name is too long`);
  return new FileError(`${folder}: cannot make this folder in ${at} (${code})`);
}

/**
 * Refuses, before any work, an output folder that cannot be had: one whose path runs through a file, or
 * whose nearest existing folder cannot be written in. Creates nothing.
 */
export async function checkOutputFolder(folder: string): Promise<void> {
  const { existing } = await existingAncestor(folder);
  try {
    await access(existing, constants.W_OK);
  } catch (error) {
    throw folderError(folder, error, existing);
  }
}

/** Makes `folder` and its missing parents; each failure is one line naming the folder and the cause. */
export async function makeFolder(folder: string): Promise<void> {
  const { missing } = await existingAncestor(folder);
  for (const level of missing) {
    try {
      await mkdir(level);
    } catch (error) {
      // Made meanwhile by someone else: fine if it is a folder (existingAncestor checks that).
      if (codeOf(error) === 'EEXIST') {
        await existingAncestor(level);
        continue;
      }
      throw folderError(folder, error, path.dirname(level));
    }
  }
}
