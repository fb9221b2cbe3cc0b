// PGlite takes no lock on its data directory, and two processes writing one directory corrupt
// it. A process holds the directory while `switchboard.lock` is a file holding its pid; a second
// process finds a live pid there and refuses to start. Every step is atomic, so concurrent starts
// never both win:
// - The pid is written to a private temporary file first, then hard-linked to `switchboard.lock`;
//   link() fails with EEXIST when the lock exists, so a lock is never seen half-written.
// - A lock with no readable pid (an older build between create and write, or a crash cut it
//   short) is held while it is younger than a few seconds, and stale after.
// - A stale lock (its pid is dead) is removed only by the one process that claims it: the claim
//   is a hard link named after the stale file's inode, and link() lets only one process create
//   that name. The claimant re-reads the pid through its claim (the claim pins the inode, so it
//   cannot be a newer lock) and removes the lock file only while it is still that inode. A claim
//   abandoned by a process that died mid-takeover is skipped after a few seconds (the one case
//   left: a claimant frozen for that long between two system calls, then resumed).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'switchboard.lock';
/** How long a lock file without a readable pid counts as held. */
const UNREADABLE_GRACE_MS = 5_000;
/** A takeover claim untouched this long was abandoned (takeovers take microseconds). */
const CLAIM_ABANDONED_MS = 5_000;
/** How long to wait for other processes' takeovers before giving up. */
const CONTENTION_TIMEOUT_MS = 3_000;

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Switchboard process (pid ${pid ?? 'unknown'}); stop it or set SWITCHBOARD_DATA_DIR to another directory.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

export interface DataDirLockOptions {
  /** The clock for the age of unreadable locks and abandoned claims (tests move it). */
  now?: () => number;
}

/** Lock files this process holds: a second acquisition in the same process is refused too. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** link(), which creates `to` only if nothing is there: false when something is. */
function linkUnlessExists(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
}

const sameFile = (a: Stats, b: { dev: number; ino: number }) => a.dev === b.dev && a.ino === b.ino;

interface Holder {
  dev: number;
  ino: number;
  pid: number | undefined;
  stale: boolean;
}

/** Who holds the lock at `path`; the pid and the inode are read through one descriptor. */
function inspect(path: string, now: number): Holder | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stats = fstatSync(fd);
    const text = readFileSync(fd, 'utf8').trim();
    const pid = /^\d{1,10}$/.test(text) ? Number(text) : 0;
    if (pid <= 0) {
      return {
        dev: stats.dev,
        ino: stats.ino,
        pid: undefined,
        stale: now - stats.mtimeMs > UNREADABLE_GRACE_MS,
      };
    }
    // Our own pid on a lock we do not hold: left by an earlier process that had our pid (pid 1
    // in a container, say).
    return { dev: stats.dev, ino: stats.ino, pid, stale: pid === process.pid || !isAlive(pid) };
  } finally {
    closeSync(fd);
  }
}

type Takeover = 'removed' | 'changed' | 'busy';

/** Removes the stale lock `holder` if this process wins the claim on it. */
function takeOver(file: string, holder: Holder, now: () => number): Takeover {
  const claimPrefix = `${file}.takeover-${holder.dev}-${holder.ino}.`;
  for (let generation = 0; generation < 16; generation++) {
    const claim = `${claimPrefix}${generation}`;
    let claimedNow: boolean;
    try {
      claimedNow = linkUnlessExists(file, claim);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return 'changed'; // the lock file is gone
      throw err;
    }
    if (!claimedNow) {
      // Every link() of an inode touches its ctime: a recent one means a takeover in progress.
      const claimed = statOrUndefined(claim);
      if (!claimed || now() - claimed.ctimeMs < CLAIM_ABANDONED_MS) return 'busy';
      continue; // abandoned by a process that died mid-takeover: use the next name
    }
    try {
      // Through the claim: it pins the inode it linked, whatever `file` has become since.
      const claimed = inspect(claim, now());
      if (!claimed || claimed.dev !== holder.dev || claimed.ino !== holder.ino || !claimed.stale) {
        return 'changed';
      }
      // Only the claimant of this inode removes it, and the holder is gone, so `file` cannot
      // change between this check and the unlink.
      const current = statOrUndefined(file);
      if (current && sameFile(current, holder)) unlinkSync(file);
      for (let older = 0; older < generation; older++) rmSync(`${claimPrefix}${older}`, { force: true });
      return 'removed';
    } finally {
      rmSync(claim, { force: true });
    }
  }
  return 'busy';
}

/** Best effort: temporary files of dead processes and claims on inodes that are not our lock. */
function sweep(dataDir: string, lock: { dev: number; ino: number }): void {
  try {
    for (const name of readdirSync(dataDir)) {
      const path = join(dataDir, name);
      const temp = /^switchboard\.lock\.(\d+)\.[0-9a-f]+$/.exec(name);
      if (temp && !isAlive(Number(temp[1]))) rmSync(path, { force: true });
      if (name.startsWith(`${LOCK_FILE}.takeover-`)) {
        const stats = statOrUndefined(path);
        if (stats && !sameFile(stats, lock)) rmSync(path, { force: true });
      }
    }
  } catch {
    // Leftovers are harmless; the lock is ours either way.
  }
}

export function acquireDataDirLock(dataDir: string, options: DataDirLockOptions = {}): DataDirLock {
  const now = options.now ?? Date.now;
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const key = resolve(file);
  if (heldHere.has(key)) throw new DataDirLockedError(dataDir, process.pid);

  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(temp, String(process.pid), { flag: 'wx', mode: 0o600 });
  try {
    const giveUpAt = now() + CONTENTION_TIMEOUT_MS;
    for (;;) {
      if (linkUnlessExists(temp, file)) {
        const mine = statSync(temp);
        const lock = { dev: mine.dev, ino: mine.ino };
        heldHere.add(key);
        sweep(dataDir, lock);
        let released = false;
        return {
          release() {
            if (released) return;
            released = true;
            heldHere.delete(key);
            const current = statOrUndefined(file);
            if (current && sameFile(current, lock)) rmSync(file, { force: true });
          },
        };
      }
      const holder = inspect(file, now());
      if (holder && !holder.stale) throw new DataDirLockedError(dataDir, holder.pid);
      // Gone in between, or stale: try again, after removing it if this process wins the claim.
      const outcome = holder ? takeOver(file, holder, now) : 'changed';
      if (now() > giveUpAt) throw new DataDirLockedError(dataDir, holder?.pid);
      if (outcome === 'busy') sleep(10);
    }
  } finally {
    rmSync(temp, { force: true });
  }
}
