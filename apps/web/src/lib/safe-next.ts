/**
 * Only same-origin paths are followed after sign-in (no open redirects). The value is parsed as
 * a browser would (which drops tabs and newlines and turns `\` into `/`), so `/%09/evil.example`
 * cannot become `//evil.example`; control characters and backslashes are refused outright.
 */
const BASE = "http://switchyard.invalid";

export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that starts with `//` would be read as another host by the browser that follows it.
  if (url.origin !== BASE || path.startsWith("//")) return "/";
  return path;
}
