import { generateFleet } from '../../agent/fleet/generator.ts';
import { factsOf } from '../../agent/model/facts.ts';
import { IntuneService } from '../../broker/service/service.ts';
import type { ActionRecord, DistributiveOmit, Outbox } from '../../broker/service/types.ts';
import { SqliteServiceStore } from '../../broker/store/sqlite-store.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import type { CohortSpec } from '../../sim/cohort.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import { EventLog } from '../../sim/events.ts';
import { createRng } from '../../sim/prng.ts';
import type {
  DeviceDown,
  DeviceFacts,
  DeviceUp,
  EnrollRequest,
  EnrollResponse,
} from '../../sim/wire/schemas.ts';

type Sent = { to: string; message: DistributiveOmit<DeviceDown | EnrollResponse, 'v' | 'seq' | 'sentAtMs'> };
type Enrolled = Extract<Sent['message'], { type: 'enrolled' }>;

/**
 * The service core on its own: a recording outbox instead of the broker, SQLite in memory or on
 * disk (to restart on). Devices are played by hand: `enroll` sends an enrollment request, `up`
 * sends a device message on an enrolled channel.
 */
export function serviceCore(
  options: {
    db?: string;
    seed?: string;
    commandsPerMessage?: number;
    /** Makes this service's fresh secrets differ from another's (a restart draws new ones). */
    tokenSalt?: string;
  } = {},
) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 5));
  const log = new EventLog(() => clock.now());
  const sent: Sent[] = [];
  const disconnected: string[] = [];
  const outbox: Outbox = {
    toDevice: (to, message) => sent.push({ to, message }),
    toEnrollee: (to, message) => sent.push({ to, message }),
    disconnect: (channelId) => disconnected.push(channelId),
  };
  const store = new SqliteServiceStore(options.db ?? ':memory:');
  let n = 0;
  const service = new IntuneService({
    clock,
    rng: createRng(options.seed ?? 'svc'),
    store,
    log,
    outbox,
    secrets: {
      newToken: () => `token-${options.tokenSalt ?? ''}${++n}-0123456789abcdef`,
      hash: (t) => `h:${t}`,
    },
    ...(options.commandsPerMessage ? { commandsPerMessage: options.commandsPerMessage } : {}),
  });
  const devices = (cohort: CohortSpec, seed = 'svc') => generateFleet({ seed, cohorts: [cohort] });
  const enroll = (
    device: { identity: EnrollRequest['identity']; state: Parameters<typeof factsOf>[0] },
    requestId: string,
  ): Enrolled => {
    service.handleEnroll(requestId, {
      v: 2,
      seq: 0,
      sentAtMs: 0,
      type: 'enroll',
      requestId,
      identity: device.identity,
      facts: factsOf(device.state),
      automatic: false,
      policies: [],
    });
    const answer = sent.at(-1)!.message;
    if (answer.type !== 'enrolled') throw new Error(`enrollment refused: ${JSON.stringify(answer)}`);
    return answer;
  };
  const up = (channelId: string, m: DistributiveOmit<DeviceUp, 'v' | 'seq' | 'sentAtMs'>) =>
    service.handleDeviceMessage(channelId, { v: 2, seq: 0, sentAtMs: 0, ...m } as DeviceUp);
  /** What the service sent to a channel, of one type. */
  const sentTo = <T extends Sent['message']['type']>(channelId: string, type: T) =>
    sent
      .filter((s) => s.to === channelId && s.message.type === type)
      .map((s) => s.message as Extract<Sent['message'], { type: T }>);
  /**
   * Requests an action as the admin (failing the test on a refusal) and, with `facts`, has the
   * device report it done with them: what a device leaving management through it says.
   */
  const run = (
    enrolled: { managedDeviceId: string; channelId: string },
    request: Exclude<ActionRequest, { action: 'delete' }>,
    facts?: DeviceFacts,
  ): ActionRecord => {
    const result = service.requestAction(enrolled.managedDeviceId, request, TEST_ADMIN);
    if (!result.ok) throw new Error(`refused: ${result.error.code}`);
    if (facts)
      up(enrolled.channelId, {
        type: 'result',
        commandId: result.value.id,
        status: 'done',
        rules: [],
        facts,
      });
    return result.value;
  };
  return { service, store, sent, sentTo, disconnected, log, clock, devices, enroll, up, run };
}

const TEST_ADMIN = { userPrincipalName: 'admin@contoso.com', source: 'admin' } as const;

/** Facts of a device that has left management (what a full wipe or retire reports). */
export const unenrolled = (facts: DeviceFacts): DeviceFacts => ({
  ...facts,
  enrolled: false,
  azureAd: 'none',
});
