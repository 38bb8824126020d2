import { describe, expect, it } from 'vitest';
import {
  CLOCK_TOPIC,
  deviceDownTopic,
  deviceUpTopic,
  enrollRequestTopic,
  enrollResponseTopic,
  olderLayout,
  parseTopic,
  SERVICE_SUBSCRIPTIONS,
} from '../../sim/wire/topics.ts';

describe('the wire topics (sim/wire/topics.ts)', () => {
  it('reads back every topic it makes, with its id', () => {
    const id = 'ch-0f3a_9.x:1';
    expect(parseTopic(deviceUpTopic(id))).toEqual({ kind: 'deviceUp', deviceId: id });
    expect(parseTopic(deviceDownTopic(id))).toEqual({ kind: 'deviceDown', deviceId: id });
    expect(parseTopic(enrollRequestTopic(id))).toEqual({ kind: 'enrollRequest', clientId: id });
    expect(parseTopic(enrollResponseTopic(id))).toEqual({ kind: 'enrollResponse', clientId: id });
    expect(parseTopic(CLOCK_TOPIC)).toEqual({ kind: 'clock' });
  });

  it('refuses a topic of another root, family or leaf, or an id that is not one', () => {
    for (const topic of [
      'other/devices/up/ch-1',
      'fleetsim/device/up/ch-1',
      'fleetsim/devices/sideways/ch-1',
      'fleetsim/devices/ch-1/up', // the id-first layout of earlier versions
      'fleetsim/devices/up',
      'fleetsim/devices/up/ch-1/more',
      'fleetsim/devices/up/+',
      'fleetsim/devices/up/#',
      'fleetsim/devices/up/',
      `fleetsim/devices/up/${'a'.repeat(129)}`,
      'fleetsim/enroll/up/ch-1',
    ])
      expect(parseTopic(topic), topic).toBeNull();
  });

  it("tells a topic of an older fleetsim's layout (id before direction) from this one's", () => {
    for (const topic of [
      'fleetsim/devices/ch-1/up',
      'fleetsim/devices/ch-1/down',
      'fleetsim/enroll/enroll-1/request',
      'fleetsim/enroll/enroll-1/response',
    ])
      expect(olderLayout(topic), topic).toBe(true);
    for (const topic of [
      deviceUpTopic('ch-1'),
      deviceDownTopic('ch-1'),
      enrollRequestTopic('enroll-1'),
      enrollResponseTopic('enroll-1'),
      CLOCK_TOPIC,
      'fleetsim/devices/ch-1/sideways',
      'other/devices/ch-1/up',
    ])
      expect(olderLayout(topic), topic).toBe(false);
  });

  it("keeps the service's wildcard off the level that holds the fleet's own subscriptions", () => {
    // aedes matches level by level: a level the service's `+` shares with every device's own
    // subscription is searched by sender id among the whole fleet for each message the service gets.
    const levels = (t: string) => t.split('/');
    const shared = (a: string[], b: string[]) => {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      return i;
    };
    const clientSubscriptions = [deviceDownTopic('ch-1'), enrollResponseTopic('enroll-1'), CLOCK_TOPIC];
    for (const filter of SERVICE_SUBSCRIPTIONS) {
      const wildcard = levels(filter).indexOf('+');
      expect(wildcard, filter).toBe(levels(filter).length - 1);
      for (const own of clientSubscriptions)
        expect(shared(levels(filter), levels(own)), `${filter} and ${own}`).toBeLessThan(wildcard);
    }
  });
});
