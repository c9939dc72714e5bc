// Child process for data-dir-lock.test.ts: takes the data directory lock, then exits without releasing it.
import { acquireDataDirLock } from '../../src/data-dir-lock';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: lock-and-exit.ts <dataDir>');
await acquireDataDirLock(dataDir);
process.stdout.write('locked\n');
process.exit(0);
