import { freeBoxHeader } from './content-stream';
import type { Derivation } from './jobs';

/** The text a derived video's content carries, so a remix, edit or extension is told apart from a plain generation. */
export function derivationSignature(derivation: Derivation): string {
  return `sora-simulator ${derivation.kind} of ${derivation.sourceId ?? 'an uploaded video'}`;
}

/**
 * The MP4 of a remix, edit or extension: the test pattern followed by a top-level `free` box holding its signature.
 * Players skip `free` boxes, so it plays like the original, but its bytes (and length) differ.
 */
export function derivedMp4(mp4: Buffer, derivation: Derivation): Buffer {
  const text = Buffer.from(derivationSignature(derivation), 'utf8');
  return Buffer.concat([mp4, freeBoxHeader(8 + text.length), text]);
}
