import { describe, expect, it } from 'vitest';
import { SaveThenSend } from '../../agent/runtime/save-then-send.ts';

function traced() {
  const trace: string[] = [];
  const io = new SaveThenSend({
    save: (then) => {
      trace.push('save');
      then();
    },
    publish: (topic, body) => trace.push(`${topic} ${(body as { type: string }).type}`),
    commitNow: () => trace.push('commitNow'),
  });
  return { trace, io };
}

/** A store that commits only when told (group commit): `commit()` stands for the end of the turn. */
function grouped() {
  const trace: string[] = [];
  let pending: (() => void)[] = [];
  const commit = () => {
    if (pending.length > 0) trace.push('commit');
    const then = pending;
    pending = [];
    for (const f of then) f();
  };
  const io = new SaveThenSend({
    save: (then) => {
      trace.push('save');
      pending.push(then);
    },
    publish: (topic, body) => trace.push(`${topic} ${(body as { type: string }).type}`),
    commitNow: commit,
  });
  return { trace, io, commit };
}

describe('SaveThenSend', () => {
  it('outside a message: saves and sends at once', () => {
    const { trace, io } = traced();
    io.send('up', { type: 'checkIn' });
    io.save();
    expect(trace).toEqual(['up checkIn', 'save']);
  });

  it('while a message is handled: one save, then the sends in order', () => {
    const { trace, io } = traced();
    io.run(() => {
      io.save();
      io.send('up', { type: 'ack' });
      io.save();
      io.send('up', { type: 'result' });
      io.save();
      expect(trace).toEqual([]);
    });
    expect(trace).toEqual(['save', 'up ack', 'up result']);
  });

  it('sends without a save when nothing was to be saved', () => {
    const { trace, io } = traced();
    io.run(() => io.send('up', { type: 'ack' }));
    expect(trace).toEqual(['up ack']);
  });

  it('release() mid-message saves and sends what is held, and holding goes on', () => {
    const { trace, io } = traced();
    io.run(() => {
      io.save();
      io.send('up', { type: 'ack' });
      io.release(); // the connection is about to drop: what it owed goes first
      io.send('up', { type: 'late' });
      expect(trace).toEqual(['save', 'up ack']);
    });
    expect(trace).toEqual(['save', 'up ack', 'up late']);
  });

  it('a handler that throws still saves and sends what it did', () => {
    const { trace, io } = traced();
    expect(() =>
      io.run(() => {
        io.save();
        io.send('up', { type: 'ack' });
        throw new Error('model');
      }),
    ).toThrow('model');
    expect(trace).toEqual(['save', 'up ack']);
    io.save(); // and holding has ended
    expect(trace).toEqual(['save', 'up ack', 'save']);
  });

  describe('with a store that commits later (group commit)', () => {
    it('every send waits for the commit of the save before it, in order', () => {
      const { trace, io, commit } = grouped();
      io.run(() => {
        io.save();
        io.send('up', { type: 'ack' });
        io.send('up', { type: 'result' });
      });
      io.send('up', { type: 'checkIn' }); // not part of the message, but after its save: it waits too
      expect(trace).toEqual(['save']);
      commit();
      expect(trace).toEqual(['save', 'commit', 'up ack', 'up result', 'up checkIn']);
    });

    it('a second save before the commit asks for no second write: the commit reads the device as it is then', () => {
      const { trace, io, commit } = grouped();
      io.save();
      io.send('up', { type: 'a' });
      io.save();
      io.send('up', { type: 'b' });
      expect(trace).toEqual(['save']);
      commit();
      expect(trace).toEqual(['save', 'commit', 'up a', 'up b']);
      io.send('up', { type: 'c' }); // nothing pending any more: at once
      expect(trace.at(-1)).toBe('up c');
    });

    it('releaseNow() commits before the connection drops, so what was owed goes out on it', () => {
      const { trace, io } = grouped();
      io.run(() => {
        io.save();
        io.send('up', { type: 'result' });
        io.releaseNow();
        expect(trace).toEqual(['save', 'commit', 'up result']);
      });
    });

    it('releaseNow() with nothing waiting commits nothing', () => {
      const { trace, io } = grouped();
      io.send('up', { type: 'checkIn' });
      io.releaseNow();
      expect(trace).toEqual(['up checkIn']);
    });
  });
});
