import { describe, expect, it } from 'vitest';
import { SaveThenSend } from '../../agent/runtime/save-then-send.ts';

function traced() {
  const trace: string[] = [];
  const io = new SaveThenSend({
    save: () => trace.push('save'),
    publish: (topic, body) => trace.push(`${topic} ${(body as { type: string }).type}`),
  });
  return { trace, io };
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
});
