import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The delimiter between ZeroMQ routing identities and a Jupyter message. */
const DELIM = '<IDS|MSG>';

/** A Jupyter message header (protocol 5.3). */
export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A Jupyter message as the kernel sees it, with the ZeroMQ identities needed to route the reply. */
export interface Message {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

/** The protocol version this kernel speaks. */
export const PROTOCOL_VERSION = '5.3';

/**
 * Signs messages with HMAC-SHA256 over header, parent header, metadata and content (the Jupyter wire protocol);
 * an empty key disables signing, as the protocol allows.
 *
 * @example
 * const wire = new Wire(connection.key);
 * const msg = wire.decode(frames);
 */
export class Wire {
  readonly #key: string;
  readonly #session = randomUUID();

  constructor(key: string) {
    this.#key = key;
  }

  #sign(parts: (string | Buffer)[]): string {
    if (!this.#key) return '';
    const h = createHmac('sha256', this.#key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  /** Parses and verifies raw frames; a bad signature throws. */
  decode(frames: Buffer[]): Message {
    const at = frames.findIndex((f) => f.toString() === DELIM);
    if (at < 0) throw new Error('Jupyter message without the <IDS|MSG> delimiter');
    const [sig, header, parent, metadata, content, ...buffers] = frames.slice(at + 1);
    if (!header || !parent || !metadata || !content) throw new Error('Jupyter message with missing parts');
    const want = Buffer.from(this.#sign([header, parent, metadata, content]));
    const got = Buffer.from(sig?.toString() ?? '');
    if (this.#key && (want.length !== got.length || !timingSafeEqual(want, got))) throw new Error('Jupyter message with a bad HMAC signature');
    return {
      identities: frames.slice(0, at),
      header: JSON.parse(header.toString()) as Header,
      parent_header: JSON.parse(parent.toString()) as Partial<Header>,
      metadata: JSON.parse(metadata.toString()) as Record<string, unknown>,
      content: JSON.parse(content.toString()) as Record<string, unknown>,
      buffers,
    };
  }

  /** Frames for a new message of `msgType` answering (or caused by) `parent`. */
  encode(msgType: string, content: unknown, parent: Message | undefined, identities: Buffer[] = [], metadata: Record<string, unknown> = {}): (Buffer | string)[] {
    const header: Header = {
      msg_id: randomUUID(),
      session: this.#session,
      username: parent?.header.username ?? 'skybook',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
    const parts = [JSON.stringify(header), JSON.stringify(parent?.header ?? {}), JSON.stringify(metadata), JSON.stringify(content)];
    return [...identities, DELIM, this.#sign(parts), ...parts];
  }
}
