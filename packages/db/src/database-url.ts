import { InvalidDatabaseUrlError } from './errors';

export interface DatabaseTarget {
  /** host:port/database, safe to log. */
  display: string;
}

/**
 * Masks the password of a postgres URL, even one too broken to parse: everything between the user name and the
 * last "@" (a password may contain "@"), and any password= query parameter. Errs towards masking too much.
 */
export function redactDatabaseUrl(url: string): string {
  const masked = url.replace(/([?&]password=)[^&#]*/gi, '$1***');
  const at = masked.lastIndexOf('@');
  if (at < 0) return masked;
  const schemeEnd = masked.indexOf('://');
  const userStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
  const colon = masked.indexOf(':', userStart);
  if (colon < 0 || colon > at) return masked;
  return `${masked.slice(0, colon + 1)}***${masked.slice(at)}`;
}

/** Checks a DATABASE_URL before handing it to the driver, so a typo fails with a message naming it. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const redacted = redactDatabaseUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidDatabaseUrlError(redacted, 'not a URL (expected postgres://user:password@host:5432/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InvalidDatabaseUrlError(redacted, 'it must start with postgres:// or postgresql://');
  }
  // A unix socket is given as ?host=/path, which leaves the URL's host empty.
  const host = parsed.hostname || parsed.searchParams.get('host');
  if (!host) throw new InvalidDatabaseUrlError(redacted, 'no host');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return { display: `${host}:${parsed.port || '5432'}/${database}` };
}
