import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { KernelError } from '../errors/index.js';

/** A Jupyter message header (messaging protocol 5.3). */
export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** A Jupyter message as the client sees it (routing identities kept for replies on ROUTER sockets). */
export interface Message<C = Record<string, unknown>> {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

const DELIM = '<IDS|MSG>';

/**
 * Signs and checks Jupyter wire messages with HMAC-SHA256 over header, parent header, metadata and content
 * (an empty key disables signing, as the protocol allows).
 *
 * @example
 * const w = new Wire('secret-key', 'session-1');
 * const frames = w.serialize(w.message('kernel_info_request', {}));
 */
export class Wire {
  constructor(
    private readonly key: string,
    readonly session: string = randomUUID(),
    private readonly username = 'skybook',
  ) {}

  /** A fresh message of `msgType` with this session's header. */
  message<C extends object>(msgType: string, content: C, parent: Partial<MessageHeader> = {}): Message<C> {
    return {
      identities: [],
      header: {
        msg_id: randomUUID(),
        msg_type: msgType,
        session: this.session,
        username: this.username,
        date: new Date().toISOString(),
        version: '5.3',
      },
      parent_header: parent,
      metadata: {},
      content,
      buffers: [],
    };
  }

  sign(parts: readonly (string | Buffer)[]): string {
    if (!this.key) return '';
    const h = createHmac('sha256', this.key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  /** The frames to send: identities, delimiter, signature, four JSON parts, buffers. */
  serialize(msg: Message<object>): (string | Buffer)[] {
    const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => JSON.stringify(p));
    return [...msg.identities, DELIM, this.sign(parts), ...parts, ...msg.buffers];
  }

  /** Parses received frames; throws when the signature does not match (a message from someone without the key). */
  deserialize(frames: readonly Buffer[]): Message {
    const i = frames.findIndex((f) => f.length === DELIM.length && f.toString('latin1') === DELIM);
    if (i < 0 || frames.length < i + 6) throw new KernelError('malformed Jupyter message (no <IDS|MSG> delimiter)');
    const [sig, h, p, m, c] = frames.slice(i + 1, i + 6) as [Buffer, Buffer, Buffer, Buffer, Buffer];
    if (this.key) {
      const want = Buffer.from(this.sign([h, p, m, c]), 'latin1');
      if (sig.length !== want.length || !timingSafeEqual(sig, want)) throw new KernelError('Jupyter message with a bad HMAC signature');
    }
    return {
      identities: frames.slice(0, i),
      header: JSON.parse(h.toString('utf8')),
      parent_header: JSON.parse(p.toString('utf8')),
      metadata: JSON.parse(m.toString('utf8')),
      content: JSON.parse(c.toString('utf8')),
      buffers: frames.slice(i + 6),
    };
  }
}
