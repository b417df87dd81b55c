import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual, type Cipher, type Decipher } from 'node:crypto';
import type { PrismaClient } from './database.js';

/**
 * The deployment's key for the ids and cursors clients see. Row ids and timeline positions are
 * sealed with it, so that what a client holds reveals no counter (how many rows the store has) and
 * cannot be edited into another row's id: a sealed value only opens under the key and the scope
 * (the list or kind of id) it was sealed for.
 *
 * The scheme is SIV-style deterministic authenticated encryption: the tag is an HMAC-SHA256 of
 * scope and payload (its first 12 bytes), and the payload is encrypted with AES-256 in counter
 * mode starting from the tag. The same value always seals to the same text (a Relay id is stable),
 * and anything not sealed here fails the tag check.
 *
 * A value that fits one AES block with room to spare can instead be enciphered as that block
 * (`encipherBlocks`): AES-256 is a pseudorandom permutation, so the text shows nothing of the block,
 * and a reader that finds the redundancy it put in (a kind byte, zero padding, the row it expects)
 * after deciphering knows the text came from this key. One block cipher call, against an HMAC
 * and a keystream for `seal`: timeline cursors are sealed fifty at a time on every page.
 */
export class SealingKey {
  readonly #macKey: Buffer;
  // One ECB cipher, kept for the key's lifetime, turns counter blocks into the CTR keystream: a
  // cipher made per value would run its key schedule each time, about doubling what sealing costs.
  readonly #blocks: Cipher;
  readonly #encipher: Cipher;
  readonly #decipher: Decipher;

  constructor(secret: Uint8Array) {
    const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), purpose, 32));
    this.#macKey = derive('conversation-gateway seal: mac');
    this.#blocks = createCipheriv('aes-256-ecb', derive('conversation-gateway seal: cipher'), null).setAutoPadding(false);
    const blockKey = derive('conversation-gateway seal: block');
    this.#encipher = createCipheriv('aes-256-ecb', blockKey, null).setAutoPadding(false);
    this.#decipher = createDecipheriv('aes-256-ecb', blockKey, null).setAutoPadding(false);
  }

  /** 16-byte blocks, each enciphered (in one cipher call, however many), as 22 URL-safe characters each. */
  encipherBlocks(blocks: Uint8Array): string[] {
    if (blocks.length % BLOCK_BYTES !== 0) throw new RangeError(`Blocks are ${BLOCK_BYTES} bytes each`);
    const enciphered = this.#encipher.update(blocks);
    return Array.from({ length: blocks.length / BLOCK_BYTES }, (_, n) => enciphered.toString('base64url', n * BLOCK_BYTES, (n + 1) * BLOCK_BYTES));
  }

  /** The block `text` enciphers, or undefined when it is not 22 URL-safe characters; the caller checks what it finds in it. */
  decipherBlock(text: string): Buffer | undefined {
    if (text.length !== 22 || !/^[\w-]+$/.test(text)) return undefined;
    const block = Buffer.from(text, 'base64url');
    if (block.length !== BLOCK_BYTES || block.toString('base64url') !== text) return undefined;
    return this.#decipher.update(block);
  }

  /** The payload, sealed for `scope`, as URL-safe text of 16 characters plus 4 for every 3 bytes of payload. */
  seal(scope: string, payload: Uint8Array): string {
    const tag = this.#tag(scope, payload);
    const sealed = Buffer.allocUnsafe(TAG_BYTES + payload.length);
    tag.copy(sealed);
    this.#xorKeystream(tag, payload, sealed.subarray(TAG_BYTES));
    return sealed.toString('base64url');
  }

  /** The payload `text` seals for `scope`, or undefined when it was not sealed with this key for this scope. */
  open(scope: string, text: string): Buffer | undefined {
    const unsealed = this.#unseal(text);
    return unsealed && timingSafeEqual(unsealed.tag, this.#tag(scope, unsealed.payload)) ? unsealed.payload : undefined;
  }

  /**
   * The payload `text` would hold if it were sealed with this key, for whichever scope: the tag is
   * not checked, so nothing may be believed of it until open() with the scope confirms it.
   */
  openUnchecked(text: string): Buffer | undefined {
    return this.#unseal(text)?.payload;
  }

  #unseal(text: string): { tag: Buffer; payload: Buffer } | undefined {
    if (!/^[\w-]+$/.test(text)) return undefined;
    const sealed = Buffer.from(text, 'base64url');
    if (sealed.length < TAG_BYTES || sealed.toString('base64url') !== text) return undefined;
    const tag = sealed.subarray(0, TAG_BYTES);
    const payload = Buffer.allocUnsafe(sealed.length - TAG_BYTES);
    this.#xorKeystream(tag, sealed.subarray(TAG_BYTES), payload);
    return { tag, payload };
  }

  #tag(scope: string, payload: Uint8Array): Buffer {
    // The scope's length first, so that no scope and payload run together into another pair's.
    const length = Buffer.alloc(4);
    length.writeUInt32BE(Buffer.byteLength(scope));
    return createHmac('sha256', this.#macKey).update(length).update(scope).update(payload).digest().subarray(0, TAG_BYTES);
  }

  /** Writes `data` XOR the keystream that starts from `tag` into `into` (as long as `data`). */
  #xorKeystream(tag: Buffer, data: Uint8Array, into: Buffer): void {
    const counters = Buffer.alloc(Math.ceil(data.length / 16) * 16);
    for (let block = 0; block * 16 < data.length; block++) {
      tag.copy(counters, block * 16);
      counters.writeUInt32BE(block, block * 16 + TAG_BYTES);
    }
    const keystream = this.#blocks.update(counters);
    for (let index = 0; index < data.length; index++) into[index] = data[index]! ^ keystream[index]!;
  }
}

const TAG_BYTES = 12;
const BLOCK_BYTES = 16;

/**
 * The deployment's sealing key: made by the first gateway to start on the database, then read by
 * every one, so they all open each other's ids. A gateway that finds it present writes nothing.
 */
export async function loadSealingKey(prisma: PrismaClient): Promise<SealingKey> {
  const stored = await prisma.deploymentKey.findFirst();
  if (stored) return new SealingKey(stored.secret);
  // Two gateways starting at once both try; the first insert stands and both read it back.
  await prisma.deploymentKey.createMany({ data: [{ secret: randomBytes(32) }], skipDuplicates: true });
  const created = await prisma.deploymentKey.findFirstOrThrow();
  return new SealingKey(created.secret);
}
