import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A distinct owner token per claim, not per process: if this process's own earlier call stalls past its lease and
 * the row is claimed again, the stalled call's late write must fail its guard too.
 */
export function createLeaseOwnerFactory(processLabel = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`) {
  let counter = 0;
  return () => `${processLabel}:${++counter}`;
}
