import type { DeviceRow } from './fleet-store.ts';
import type { TileState } from './states.ts';

/** What the presenter narrowed the fleet to. Empty fields match everything. */
export interface FleetFilter {
  /** Matches device name, serial number or user, case-insensitively. */
  text: string;
  platform: string;
  state: string;
  user: string;
}

export const NO_FILTER: FleetFilter = { text: '', platform: '', state: '', user: '' };

export function matchesFilter(row: DeviceRow, f: FleetFilter): boolean {
  if (f.platform && row.platform !== f.platform) return false;
  if (f.state && row.state !== f.state) return false;
  if (f.user && !row.userPrincipalName.toLowerCase().includes(f.user.toLowerCase())) return false;
  if (f.text) {
    const t = f.text.toLowerCase();
    if (
      !row.deviceName.toLowerCase().includes(t) &&
      !row.serialNumber.toLowerCase().includes(t) &&
      !row.userPrincipalName.toLowerCase().includes(t)
    )
      return false;
  }
  return true;
}

/** Devices of one platform and enrollment type, in a stable order. */
export interface FleetGroup {
  key: string;
  label: string;
  rows: DeviceRow[];
}

export function groupRows(rows: readonly DeviceRow[], platformName: (id: string) => string): FleetGroup[] {
  const groups = new Map<string, FleetGroup>();
  for (const row of rows) {
    const key = `${row.platform}/${row.enrollmentType}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, label: `${platformName(row.platform)} · ${row.enrollmentType}`, rows: [] };
      groups.set(key, g);
    }
    g.rows.push(row);
  }
  const sorted = [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
  for (const g of sorted) g.rows.sort((a, b) => a.serialNumber.localeCompare(b.serialNumber));
  return sorted;
}

export function countByState(rows: readonly DeviceRow[]): Map<TileState, number> {
  const counts = new Map<TileState, number>();
  for (const r of rows) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  return counts;
}

/** Tile geometry of the canvas fleet view, in CSS pixels. */
export const TILE = { size: 12, gap: 3, header: 22, groupGap: 10 } as const;

export interface TileLayout {
  height: number;
  headers: { label: string; y: number }[];
  tiles: { row: DeviceRow; x: number; y: number }[];
}

/** Places every group's tiles in rows that fit `width`; pure, so hit-testing can be tested. */
export function layoutTiles(groups: readonly FleetGroup[], width: number): TileLayout {
  const step = TILE.size + TILE.gap;
  const perLine = Math.max(1, Math.floor((width + TILE.gap) / step));
  const headers: TileLayout['headers'] = [];
  const tiles: TileLayout['tiles'] = [];
  let y = 0;
  for (const g of groups) {
    headers.push({ label: `${g.label} (${g.rows.length})`, y });
    y += TILE.header;
    g.rows.forEach((row, i) => {
      tiles.push({ row, x: (i % perLine) * step, y: y + Math.floor(i / perLine) * step });
    });
    y += Math.ceil(g.rows.length / perLine) * step + TILE.groupGap;
  }
  return { height: y, headers, tiles };
}

/** The device whose tile is at (x, y), if any. */
export function tileAt(layout: TileLayout, x: number, y: number): DeviceRow | undefined {
  // Tiles are in reading order, so a binary search on y would do; a scan of 10,000 is ~0.1 ms.
  for (const t of layout.tiles)
    if (x >= t.x && x < t.x + TILE.size && y >= t.y && y < t.y + TILE.size) return t.row;
  return undefined;
}
