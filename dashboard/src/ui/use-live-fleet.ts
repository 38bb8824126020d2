import { useEffect, useRef, useState } from 'preact/hooks';
import type { FleetEvent } from '../../../sim/events.ts';
import type { Api } from '../api.ts';
import { ActionTracker } from '../logic/action-timeline.ts';
import { eventText } from '../logic/event-text.ts';
import {
  FleetStore,
  GRAPH_FIELDS,
  type GraphDeviceSummary,
  type SimFleetDevice,
} from '../logic/fleet-store.ts';

export interface LogLine {
  seq: number;
  atMs: number;
  text: string;
  kind: string;
}

/** Lines kept in the event log pane; older ones scroll away. */
const LOG_LINES_MAX = 300;
/** At most one full reload (new records' names) this often while enrollments stream in. */
const RELOAD_EVERY_MS = 1500;
const RECONNECT_MAX_MS = 5000;

export interface LiveFleet {
  store: FleetStore;
  version: number;
  log: LogLine[];
  propagationMs: number[];
  /** Each action's request, delivery, acknowledgement and completion times. */
  actions: ActionTracker;
  connected: boolean;
  /** Bumped per event of a device, so an open drawer knows to refresh. */
  touched: Map<string, number>;
  lastEvent: FleetEvent | null;
  reload: () => Promise<void>;
}

/**
 * The fleet, kept live: one full load, then the WebSocket event stream applied as it comes, with
 * re-renders batched to one per animation frame however fast events arrive.
 */
export function useLiveFleet(api: Api, onEvent: (e: FleetEvent) => void): LiveFleet {
  const store = useRef(new FleetStore()).current;
  const log = useRef<LogLine[]>([]).current;
  const propagation = useRef<number[]>([]).current;
  const actions = useRef(new ActionTracker()).current;
  const touched = useRef(new Map<string, number>()).current;
  const [version, setVersion] = useState(0);
  const [connected, setConnected] = useState(false);
  const last = useRef<FleetEvent | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;

  const reload = async () => {
    const [sim, graph] = await Promise.all([
      api.get<{ devices: SimFleetDevice[] }>('/sim/fleet/devices'),
      api.getAll<GraphDeviceSummary>(
        `/beta/deviceManagement/managedDevices?$select=${GRAPH_FIELDS.join(',')}&$top=1000`,
      ),
    ]);
    store.load(sim.devices, graph);
    setVersion((v) => v + 1);
  };

  useEffect(() => {
    let frame = 0;
    let reloadTimer: ReturnType<typeof setTimeout> | null = null;
    let socket: WebSocket | null = null;
    let closed = false;
    let backoffMs = 250;
    const redraw = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    };
    const nameOf = (key: string) => {
      const row = store.get(store.serialOf(key) ?? key);
      return row ? row.deviceName : key.slice(0, 8);
    };
    const receive = (e: FleetEvent) => {
      last.current = e;
      const serial = store.apply(e);
      if (serial) touched.set(serial, e.seq);
      if (e.type === 'action.acknowledged') propagation.push(e.propagationMs);
      actions.apply(e);
      const text = eventText(e, nameOf);
      if (text) {
        log.push({ seq: e.seq, atMs: e.atMs, text, kind: e.type });
        if (log.length > LOG_LINES_MAX) log.splice(0, log.length - LOG_LINES_MAX);
      }
      if (store.needsReload && !reloadTimer)
        reloadTimer = setTimeout(() => {
          reloadTimer = null;
          void reload().then(redraw);
        }, RELOAD_EVERY_MS);
      handler.current(e);
      redraw();
    };
    const connect = () => {
      socket = new WebSocket(api.eventsUrl());
      socket.onopen = () => {
        backoffMs = 250;
        setConnected(true);
        // Whatever happened while disconnected is in the full state.
        void reload();
      };
      socket.onmessage = (m) => {
        const e = JSON.parse(String(m.data)) as FleetEvent | { type: 'stream.open' };
        if (e.type !== 'stream.open') receive(e as FleetEvent);
      };
      socket.onclose = () => {
        setConnected(false);
        if (closed) return;
        setTimeout(connect, backoffMs);
        backoffMs = Math.min(RECONNECT_MAX_MS, backoffMs * 2);
      };
    };
    connect();
    return () => {
      closed = true;
      socket?.close();
      if (frame) cancelAnimationFrame(frame);
      if (reloadTimer) clearTimeout(reloadTimer);
    };
  }, [api]);

  return {
    store,
    version,
    log,
    propagationMs: propagation,
    actions,
    connected,
    touched,
    lastEvent: last.current,
    reload,
  };
}
