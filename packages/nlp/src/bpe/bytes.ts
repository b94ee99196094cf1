/**
 * Byte strings: a token's bytes held as a JavaScript string with one char per byte (0–255), the key of every rank
 * map here. An ASCII piece of text is already its own key, so the common case costs no conversion at all.
 */

/** The UTF-8 bytes of `text` as a byte string. A lone surrogate becomes U+FFFD (EF BF BD), as TextEncoder does. */
export function utf8ByteString(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out += String.fromCharCode(c);
      continue;
    }
    if (c < 0x800) {
      out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        out += String.fromCharCode(
          0xf0 | (c >> 18),
          0x80 | ((c >> 12) & 0x3f),
          0x80 | ((c >> 6) & 0x3f),
          0x80 | (c & 0x3f),
        );
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
    out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

export function byteStringOf(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096)
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 4096)));
  return out;
}

export function bytesOf(byteString: string): Uint8Array {
  const out = new Uint8Array(byteString.length);
  for (let i = 0; i < byteString.length; i++) out[i] = byteString.charCodeAt(i);
  return out;
}
