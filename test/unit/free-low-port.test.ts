import { describe, expect, it } from 'vitest';
import { freeLowPort, LOW_PORT_RANGE } from '../../tools/ports.ts';

describe('freeLowPort', () => {
  it('never gives this process the same port twice, each below the ephemeral range', async () => {
    // Its first try lands among ~1,000 ports: 100 calls would repeat one almost surely if it did not remember.
    const ports = [];
    for (let i = 0; i < 100; i++) ports.push(await freeLowPort());
    expect(new Set(ports).size).toBe(100);
    expect(ports.every((p) => p >= LOW_PORT_RANGE[0] && p < LOW_PORT_RANGE[1])).toBe(true);
  });
});
