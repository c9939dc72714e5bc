import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DataDirLockedError } from './errors';
import type { DbLogger } from './types';

/*
 * One process per PGlite data directory: two would each cache pages and silently overwrite each other's rows.
 *
 * Why not proper-lockfile: it decides staleness by an mtime heartbeat refreshed on a timer. PGlite runs queries
 * synchronously on the main thread, so a long query or migration stalls that timer and a second process could
 * "take over" a live lock; it also does not record who holds the lock. Here the lock file records the holder's pid
 * and host: a holder whose pid is gone (kill -9, crash, container restart) is stale and taken over at once.
 */

export const LOCK_FILE_NAME = 'sora-monitor.lock';

interface LockRecord {
  pid: number;
  hostname: string;
  token: string;
  acquiredAt: string;
}

export interface DataDirLock {
  readonly lockFile: string;
  /** Idempotent and synchronous, so it can also run from a process 'exit' handler. */
  release(): void;
}

/** Directories locked by this process (keyed by real path), with their release functions for the exit handler. */
const heldByThisProcess = new Map<string, () => void>();
let exitHandlerInstalled = false;

/** Creates `dataDir` if missing and locks it, or throws DataDirLockedError naming the live holder. */
export async function acquireDataDirLock(dataDir: string, logger?: DbLogger): Promise<DataDirLock> {
  const shownDir = path.resolve(dataDir);
  fs.mkdirSync(shownDir, { recursive: true });
  const realDir = fs.realpathSync(shownDir);
  const lockFile = path.join(realDir, LOCK_FILE_NAME);
  const me: LockRecord = { pid: process.pid, hostname: os.hostname(), token: randomUUID(), acquiredAt: new Date().toISOString() };

  if (heldByThisProcess.has(realDir)) throw new DataDirLockedError(shownDir, me, lockFile);

  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockFile, me)) return register(realDir, lockFile, me.token);
    const holder = await readHolder(lockFile);
    if (holder === 'missing') continue; // released between our attempt and our read
    if (holder === 'unreadable') throw new DataDirLockedError(shownDir, null, lockFile);
    if (isHeldByLiveProcess(holder)) throw new DataDirLockedError(shownDir, holder, lockFile);
    logger?.warn(
      { dataDir: shownDir, stalePid: holder.pid, staleSince: holder.acquiredAt },
      'Taking over the data directory lock of a process that no longer exists',
    );
    removeStaleLock(lockFile, holder.token, me.token);
  }
  // Only reachable when other starters keep racing us for the same directory.
  const holder = await readHolder(lockFile);
  throw new DataDirLockedError(shownDir, typeof holder === 'object' ? holder : null, lockFile);
}

function tryCreate(lockFile: string, me: LockRecord): boolean {
  try {
    // O_EXCL: exactly one process can create the file.
    fs.writeFileSync(lockFile, JSON.stringify(me), { flag: 'wx' });
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/** The holder's record; a just-created file may still be empty for an instant, so an empty read is retried. */
async function readHolder(lockFile: string): Promise<LockRecord | 'missing' | 'unreadable'> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const text = readIfExists(lockFile);
    if (text === null) return 'missing';
    if (text !== '') return parseRecord(text) ?? 'unreadable';
    await delay(20);
  }
  return 'unreadable';
}

function isHeldByLiveProcess(holder: LockRecord): boolean {
  // Another host's pids mean nothing here (a shared volume): assume it is alive and let the operator decide.
  if (holder.hostname !== os.hostname()) return true;
  // Our own pid but not in heldByThisProcess: a previous run of a container that restarted with the same pid.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0); // signal 0 only checks that the process exists
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH'; // EPERM: it exists but belongs to another user
  }
}

/**
 * Removes the lock only if it is still the stale one we inspected. Renaming it aside first makes the check and the
 * removal safe against another starter that took it over in between: if what we moved is not the stale record, it
 * is that starter's live lock, which we put back.
 */
function removeStaleLock(lockFile: string, staleToken: string, myToken: string): void {
  const aside = `${lockFile}.${myToken}.stale`;
  try {
    fs.renameSync(lockFile, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = parseRecord(readIfExists(aside) ?? '');
  if (moved?.token !== staleToken) {
    try {
      fs.linkSync(aside, lockFile); // fails rather than overwrite if yet another lock appeared meanwhile
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') fs.renameSync(aside, lockFile);
    }
  }
  fs.rmSync(aside, { force: true });
}

function register(realDir: string, lockFile: string, token: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldByThisProcess.delete(realDir);
    // Never delete a lock that is no longer ours (e.g. the directory was wiped and reused meanwhile).
    if (parseRecord(readIfExists(lockFile) ?? '')?.token === token) fs.rmSync(lockFile, { force: true });
  };
  heldByThisProcess.set(realDir, release);
  if (!exitHandlerInstalled) {
    exitHandlerInstalled = true;
    // 'exit' covers normal exits and process.exit(); after a signal or a crash the dead pid makes the lock stale.
    process.on('exit', () => {
      for (const releaseHeld of [...heldByThisProcess.values()]) releaseHeld();
    });
  }
  return { lockFile, release };
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function parseRecord(text: string): LockRecord | null {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, hostname: value.hostname, token: value.token, acquiredAt: String(value.acquiredAt) };
    }
    return null;
  } catch {
    return null;
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}
