/**
 * Whether cookies must carry `Secure`. Browsers only keep a Secure cookie over https, with one
 * exception they all make: http on the local machine. So plain http is allowed for localhost only.
 */
export function needsSecureCookies(baseURL: string): boolean {
  const url = new URL(baseURL);
  const isLocalHttp =
    url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  return !isLocalHttp;
}
