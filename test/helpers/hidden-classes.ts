/**
 * Run as its own process (`node --allow-natives-syntax --import tsx`): a fleet of 120 devices
 * enrolls over the real broker in memory, and this prints how many hidden classes (V8 maps) their
 * states, work profiles and story events take — one per kind when objects of a kind share one,
 * one per object when they do not: a map and its descriptors are ~0.6 KB a device could do without.
 * No ordinary JavaScript can observe it.
 */
import { startVirtualFleet } from './virtual-fleet.ts';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const classes = (objects: object[]) => {
  const kinds: object[] = [];
  for (const o of objects) if (!kinds.some((k) => sameMap(k, o))) kinds.push(o);
  return kinds.length;
};

const fleet = await startVirtualFleet({
  seed: 'hidden-classes',
  cohorts: [
    { platform: 'windows10', count: 60 },
    { platform: 'androidWorkProfile', count: 60 },
  ],
});
try {
  const states = fleet.runner.all().map((a) => a.device.state);
  const byPlatform = (p: string) =>
    fleet.runner
      .all()
      .filter((a) => a.device.identity.platform === p)
      .map((a) => a.device.state);
  process.stdout.write(
    `${JSON.stringify({
      devices: states.length,
      windows10States: classes(byPlatform('windows10')),
      androidWorkProfileStates: classes(byPlatform('androidWorkProfile')),
      workProfiles: classes(states.flatMap((s) => (s.workProfile ? [s.workProfile] : []))),
      enrolledEvents: classes(fleet.log.ofType('device.enrolled')),
      managementStateEvents: classes(fleet.log.ofType('device.managementState')),
    })}\n`,
  );
} finally {
  await fleet.close();
}
