import { connectAsync, type MqttClient } from 'mqtt';
import type { Serving } from '../../cli/serve.ts';

/** A device's facts as the wire schema wants them (the values do not matter to the tests). */
export const FACTS = {
  enrolled: true,
  boot: 'normal',
  policyIds: [],
  apps: 0,
  appKinds: [],
  certificatesInstalled: 0,
  azureAd: 'none',
  accounts: 0,
  userFiles: 0,
  workProfile: false,
};

/** A check-in as a device sends it, stamped `sentAtMs`. */
export const checkInPayload = (sentAtMs: number, seq = 0) =>
  JSON.stringify({ v: 2, seq, sentAtMs, type: 'checkIn', reason: 'schedule', facts: FACTS });

/**
 * An embedded device's agent is stopped and a raw mqtt.js client takes over its credentials over
 * real TCP, as someone holding one device's credentials would.
 */
export async function takeOverDevice(serving: Serving, index = 0) {
  const agent = serving.emulator.runner.all()[index]!;
  await agent.stop();
  const { channelId, token } = agent.credentials!;
  const connect = (): Promise<MqttClient> =>
    connectAsync(serving.emulator.server.mqttUrl!, {
      clientId: channelId,
      username: channelId,
      password: token,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
  return { channelId, connect };
}

/**
 * Publishes with QoS 1; 'accepted' on PUBACK, 'dropped' when the broker closes the connection
 * instead (what aedes does with a refused publish).
 */
export function publishOutcome(
  client: MqttClient,
  topic: string,
  payload: string | Buffer,
): Promise<'accepted' | 'dropped'> {
  return new Promise((resolve) => {
    const onClose = () => resolve('dropped');
    client.once('close', onClose);
    client.publish(topic, payload, { qos: 1 }, (error) => {
      if (error) return; // the close settles it
      client.off('close', onClose);
      resolve('accepted');
    });
  });
}
