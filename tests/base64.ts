/**
 * Base64 decoding for fixtures (the standard library is not reachable here).
 *
 * @module
 */

/** Decodes standard base64 into bytes. */
export function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
