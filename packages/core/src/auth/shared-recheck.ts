import type { Auth } from './create-auth';
import { resolveRequestUser, type RequestUser } from './resolve-request-user';

/** A check's answer, shared by every stream of the same credentials that checks at the same instant or before it. */
interface SharedCheck {
  checkAt: number;
  answer: Promise<RequestUser | null>;
}

/**
 * resolveRequestUser for open streams checking that their caller is still signed in. Streams check on a shared clock
 * (see sora.onUpdate) and name the instant they check for: every stream of the same credentials checking for that
 * instant shares one lookup, whether it asks while the lookup runs or after it answered (timers of twenty streams
 * due at one instant fire spread over a busy loop's milliseconds). So a thousand tabs of one session cost one
 * session read per check, not a thousand. An answer is kept for `keepMs` (one check interval), then forgotten.
 */
export function createSharedUserRecheck(
  auth: Auth,
  keepMs: number,
): (headers: Headers, checkAt: number) => Promise<RequestUser | null> {
  const checks = new Map<string, SharedCheck>();
  return (headers, checkAt) => {
    const credentials = `${headers.get('authorization') ?? ''}\n${headers.get('cookie') ?? ''}`;
    const shared = checks.get(credentials);
    // A stream late for an earlier instant takes the newer answer: it is at least as fresh as the one it was due.
    if (shared && shared.checkAt >= checkAt) return shared.answer;
    const answer = resolveRequestUser(auth, headers);
    checks.set(credentials, { checkAt, answer });
    // Forgotten unless a newer check replaced it meanwhile: closed streams leave nothing behind.
    setTimeout(() => {
      if (checks.get(credentials)?.answer === answer) checks.delete(credentials);
    }, keepMs).unref();
    return answer;
  };
}
