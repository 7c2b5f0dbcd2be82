/**
 * HTTP/1.1 syntax shared by the request writer and the response parser (RFC 9110, 5.5 and 5.6;
 * RFC 9112), as regular-expression sources so that each side builds its patterns from one
 * definition.
 */

/** One token character: what method, header and chunk-extension names are made of. */
export const TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
/** One field-value character: HTAB, SP, visible ASCII and obs-text; never a control character, CR or LF. */
export const FIELD_CHAR = "[\\t\\x20-\\x7e\\x80-\\xff]";
/** One character that is not a field-value character. */
export const NOT_FIELD_CHAR = "[^\\t\\x20-\\x7e\\x80-\\xff]";
/** One field-value character other than whitespace. */
export const FIELD_VCHAR = "[\\x21-\\x7e\\x80-\\xff]";

/** A decimal number, as Content-Length takes it (leading zeros allowed). */
export const DIGITS = /^\d+$/;
/** An HTTP token. */
export const TOKEN = new RegExp(`^${TCHAR}+$`);
/** A Transfer-Encoding list whose last coding is `chunked` (the only one this transport frames or decodes). */
export const CHUNKED_LAST = /(?:^|,)[ \t]*chunked[ \t]*$/i;
