const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Strict base64url (RFC 7515 §2, RFC 4648 §5 without padding): only the URL-safe alphabet,
 * no `=`, and canonical — the unused low bits of the last character are zero, so exactly one
 * string encodes given bytes. Lenient decoders accept variants of a signed value; refusing
 * them keeps "the same bytes" and "the same text" one and the same.
 */
export function decodeBase64urlStrict(segment: string): Buffer | undefined {
  if (!ALPHABET.test(segment) || segment.length % 4 === 1) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}
