import { describe, expect, it } from 'vitest';
import { Wire } from '../../lib/notebook/index.js';
import { runPython } from '../helpers/astropy.js';

describe('Wire', () => {
  it('signs exactly as jupyter_client.Session does (HMAC-SHA256)', () => {
    const w = new Wire('s3cret-key', 'sess');
    const msg = w.message('execute_request', { code: 'print("ü")' });
    const frames = w.serialize(msg);
    const parts = frames.slice(2, 6) as string[];
    const py = runPython(
      'import sys, json\nfrom jupyter_client.session import Session\ns = Session(key=b"s3cret-key")\nprint(s.sign([p.encode() for p in json.loads(sys.argv[1])]).decode())',
      [JSON.stringify(parts)],
    );
    expect(frames[1]).toBe(py.trim());
  });

  it('round-trips a message and rejects a tampered or foreign one', () => {
    const w = new Wire('k1');
    const msg = w.message('kernel_info_request', { a: 1 });
    msg.identities = [Buffer.from('peer')];
    const frames = w.serialize(msg).map((f) => Buffer.from(f));
    const back = w.deserialize(frames);
    expect(back.header.msg_id).toBe(msg.header.msg_id);
    expect(back.content).toEqual({ a: 1 });
    expect(back.identities.map(String)).toEqual(['peer']);
    const tampered = frames.slice();
    tampered[6] = Buffer.from('{"a":2}');
    expect(() => w.deserialize(tampered)).toThrow(/bad HMAC signature/);
    expect(() => new Wire('other-key').deserialize(frames)).toThrow(/bad HMAC signature/);
    expect(() => w.deserialize([Buffer.from('x')])).toThrow(/no <IDS\|MSG> delimiter/);
  });

  it('leaves messages unsigned with an empty key, as the protocol allows', () => {
    const w = new Wire('');
    const frames = w.serialize(w.message('x', {}));
    expect(frames[1]).toBe('');
    expect(w.deserialize(frames.map((f) => Buffer.from(f))).header.msg_type).toBe('x');
  });
});
