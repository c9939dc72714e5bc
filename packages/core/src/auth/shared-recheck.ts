import { createSingleFlight } from '../generations/single-flight';
import type { Auth } from './create-auth';
import { resolveRequestUser, type RequestUser } from './resolve-request-user';

/**
 * resolveRequestUser for open streams checking that their caller is still signed in: the streams that ask with the
 * same credentials at the same moment (they check on a shared clock, see sora.onUpdate) share one lookup, so a
 * thousand tabs of one session cost one session read per check, not a thousand.
 */
export function createSharedUserRecheck(auth: Auth): (headers: Headers) => Promise<RequestUser | null> {
  const singleFlight = createSingleFlight<RequestUser | null>();
  return (headers) =>
    singleFlight(`${headers.get('authorization') ?? ''}\n${headers.get('cookie') ?? ''}`, () => resolveRequestUser(auth, headers));
}
