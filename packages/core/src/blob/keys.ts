const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are relative paths of plain names: no `..`, no leading or doubled slash, the same rule for every store. */
export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`Invalid blob key: ${JSON.stringify(key)}`);
}

/** A folder-like prefix (`videos/<id>/`) checked as a key, returned without its trailing slash. */
export function safeFolder(prefix: string): string {
  const folder = prefix.replace(/\/+$/, '');
  assertSafeKey(folder);
  return folder;
}
