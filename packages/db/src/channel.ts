/**
 * Channel names are restricted to lowercase identifiers because the drivers disagree on anything else: PGlite's
 * listen() folds case like an unquoted identifier while postgres.js quotes it, and pg_notify() takes the name as is.
 */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertChannelName(channel: string): void {
  if (!CHANNEL_NAME.test(channel)) {
    throw new TypeError(
      `Invalid LISTEN/NOTIFY channel "${channel}": use 1-63 lowercase letters, digits and underscores, starting with a letter or _`,
    );
  }
}
