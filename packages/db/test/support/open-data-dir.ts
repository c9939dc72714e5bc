// Child process for data-dir-lock.test.ts: opens a PGlite data directory, writes a row, says "ready" and holds the
// directory until it is killed. If the directory is locked it prints the error and exits with code 3.
import { DataDirLockedError, createDb, user } from '../../src';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: open-data-dir.ts <dataDir>');

try {
  const handle = await createDb({ dataDir });
  await handle.db
    .insert(user)
    .values({ id: `child-${process.pid}`, name: 'child', email: `child-${process.pid}@example.test` });
  process.stdout.write(`ready ${process.pid}\n`);
  setInterval(() => undefined, 60_000); // hold the directory until killed
} catch (error) {
  if (!(error instanceof DataDirLockedError)) throw error;
  process.stderr.write(`${error.name}: ${error.message}\n`);
  process.exit(3);
}
