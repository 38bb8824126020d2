import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where a counted span's instructions and reads from memory fell, by part: fleetsim's folders, each
 * package, node's streams, V8's builtins and collector. callgrind names the node binary's own
 * functions, but the code V8 compiled from JavaScript it knows only by address. So the counted node
 * writes a perf map (`--perf-basic-prof`: each piece of compiled code's range and function, with its
 * file and line), callgrind writes costs per instruction (`--dump-instr=yes`), and a bundle's line
 * gives its source file by esbuild's `// path` comments. Costs are a function's own, not its callees':
 * V8's builtins (property lookups, calls) serve every part and are a part of their own.
 */

/** What callgrind counted at some code. */
export interface PartCost {
  instructions: number;
  llReadMisses: number;
  llWriteMisses: number;
}

/** The name of the code at an address, from node's perf map, or null where it names none. */
export type PerfMapLookup = (address: number) => string | null;

interface MapEntry {
  start: number;
  end: number;
  name: string;
  /** Its place in the file: V8 may put new code where collected code was, and the later entry names it. */
  order: number;
}

/** How far back a lookup looks for a range that holds an address (ranges are short, a few overlap). */
const OVERLAP_LOOKBACK = 64;

/** Reads a perf map (`START SIZE NAME` a line, in hex). */
export function parsePerfMap(text: string): PerfMapLookup {
  const entries: MapEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/.exec(line);
    if (!m) continue;
    const start = Number.parseInt(m[1]!, 16);
    entries.push({ start, end: start + Number.parseInt(m[2]!, 16), name: m[3]!, order: entries.length });
  }
  entries.sort((a, b) => a.start - b.start);
  return (address) => {
    let lo = 0;
    let hi = entries.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid]!.start <= address) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let best: MapEntry | null = null;
    for (let i = at; i >= 0 && i > at - OVERLAP_LOOKBACK; i--) {
      const e = entries[i]!;
      if (e.start <= address && address < e.end && (!best || e.order > best.order)) best = e;
    }
    return best?.name ?? null;
  };
}

/** A position of callgrind's compressed format: absolute (0x…), relative (+n, -n) or the same (*). */
function positionOf(text: string, last: number): number {
  if (text === '*') return last;
  if (text.startsWith('+')) return last + Number(text.slice(1));
  if (text.startsWith('-')) return last - Number(text.slice(1));
  return Number(text);
}

/**
 * Each function's own costs in a callgrind file written with `--dump-instr=yes`, by the name
 * `nameAt` gives the code at an address (callgrind's own function and object names given too, for
 * code the perf map does not name). The cost line after a `calls=` line is the callee's, not its own.
 */
export function selfCosts(
  text: string,
  nameAt: (address: number, fn: string, object: string) => string,
): Map<string, PartCost> {
  const names = { ob: new Map<string, string>(), fn: new Map<string, string>() };
  // Names are compressed: "(id) name" the first time, "(id)" after.
  const nameOf = (kind: 'ob' | 'fn', spec: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(spec.trim());
    if (!m) return spec.trim();
    if (m[2] !== undefined) names[kind].set(m[1]!, m[2]);
    return names[kind].get(m[1]!) ?? '';
  };
  let events: string[] = [];
  let costsFrom = 1;
  let ob = '';
  let fn = '';
  let last = 0;
  let callCost = false;
  const costs = new Map<string, PartCost>();
  const seen = new Map<number, string>();
  for (const line of text.split('\n')) {
    const c = line.charCodeAt(0);
    const positionLine = c === 48 || c === 43 || c === 45 || c === 42; // 0x…, +, -, *
    if (!positionLine) {
      if (line.startsWith('events:')) events = line.slice(7).trim().split(/\s+/);
      else if (line.startsWith('positions:')) costsFrom = line.slice(10).trim().split(/\s+/).length;
      else if (line.startsWith('ob=')) ob = nameOf('ob', line.slice(3));
      else if (line.startsWith('fn=')) fn = nameOf('fn', line.slice(3));
      else if (line.startsWith('cob=')) nameOf('ob', line.slice(4));
      else if (line.startsWith('cfn=')) nameOf('fn', line.slice(4));
      else if (line.startsWith('calls=')) callCost = true;
      continue;
    }
    const fields = line.split(' ');
    last = positionOf(fields[0]!, last);
    if (callCost) {
      callCost = false;
      continue;
    }
    let name = seen.get(last);
    if (name === undefined) {
      name = nameAt(last, fn, ob);
      seen.set(last, name);
    }
    let cost = costs.get(name);
    if (!cost) {
      cost = { instructions: 0, llReadMisses: 0, llWriteMisses: 0 };
      costs.set(name, cost);
    }
    const at = (event: string) => {
      const i = events.indexOf(event);
      return i < 0 ? 0 : Number(fields[costsFrom + i] ?? 0);
    };
    cost.instructions += at('Ir');
    cost.llReadMisses += at('DLmr');
    cost.llWriteMisses += at('DLmw');
  }
  return costs;
}

/** The source file a bundle's line came from, by esbuild's `// path` comment above each module. */
export function bundleSources(text: string): (line: number) => string | null {
  const starts: [number, string][] = [];
  text.split('\n').forEach((l, i) => {
    const m = /^\/\/ ((?:[\w@.-]+\/)*[\w.-]+\.(?:ts|mts|js|mjs|cjs|json))$/.exec(l);
    if (m) starts.push([i + 1, m[1]!]);
  });
  return (line) => {
    let found: string | null = null;
    for (const [from, path] of starts) {
      if (from > line) break;
      found = path;
    }
    return found;
  };
}

/**
 * The collector's classes and namespaces. Matched against a C++ function's qualified name without
 * its return type, template arguments and parameters: the whole signature had counted
 * `Scanner::SkipWhiteSpace` or a function taking a `HeapObject` as collection.
 */
const COLLECTOR_SCOPE =
  /^(Scavenger\w*|\w*Collector|\w*Sweeper|\w*Marking\w*|\w*Marker|Heap|heap_internals|\w*Space|MemoryChunk|MemoryAllocator|\w*RememberedSet|\w*SlotSet|InvalidatedSlotsFilter|\w*Evacuat\w*|\w*Scavenge\w*Visitor|BodyDescriptorBase|GCTracer|cppgc)$/;

/** Whether a C++ function (callgrind's name for it) is the collector's. */
function inCollector(name: string): boolean {
  let plain = name.replace(/ \[[^\]]*\]$/, ''); // callgrind's object, " [node]"
  // Template arguments and parameters, innermost first, so nesting comes off whole.
  for (let before = ''; before !== plain; ) {
    before = plain;
    plain = plain.replace(/<[^<>]*>/g, '').replace(/\([^()]*\)/g, '');
  }
  const qualified = plain.trim().split(' ').pop() ?? '';
  const scopes = qualified.split('::').slice(0, -1);
  if (scopes[0] === 'heap' && scopes[1] === 'base') return true;
  const own = scopes[0] === 'v8' && scopes[1] === 'internal' ? scopes.slice(2) : scopes;
  return own.some((scope) => COLLECTOR_SCOPE.test(scope));
}

/**
 * A package's name from a path inside node_modules. Not a folder whose name starts with a dot, which
 * no package's does: the bench's bundles are built in node_modules/.cache.
 */
const packageIn = (path: string): string | null =>
  /node_modules\/((?:@[\w-][\w.-]*\/)?[\w-][\w.-]*)\//.exec(path)?.[1] ?? null;

/**
 * The part a function belongs to, by the name the perf map or callgrind gave it. `sourceOf` gives
 * a bundle's source file for a line of it (null when the file is not a bundle).
 */
export function partOf(name: string, sourceOf: (file: string, line: number) => string | null): string {
  const js = /(file:\/\/\/?\S+|\/\S+|node:\S+):(\d+):\d+$/.exec(name);
  if (js) {
    const [, file, line] = js as unknown as [string, string, string];
    if (file.startsWith('node:internal/streams')) return 'node: streams';
    if (file.startsWith('node:')) return 'node: other';
    const pkg = packageIn(file);
    if (pkg) return `package ${pkg}`;
    const source = sourceOf(file, Number(line));
    if (source === null) return file.replace(/^file:\/\//, '');
    const inPkg = packageIn(`/${source}`);
    // Two levels of a folder name a part of fleetsim (agent/runtime, broker/service, sim/clock).
    return inPkg ? `package ${inPkg}` : source.split('/').slice(0, 2).join('/');
  }
  if (/^(Builtin:|Builtins_|BytecodeHandler:)/.test(name)) return 'V8 builtins';
  if (/^RegExp:/.test(name)) return 'V8 builtins';
  if (inCollector(name)) return 'V8 collector';
  if (/\[libc[.-]|\[ld-linux|\[libstdc\+\+/.test(name)) return 'libc (memcpy, malloc)';
  return 'V8 and node: other';
}

/**
 * A counted main thread's costs by part: its callgrind file (with `--dump-instr=yes`) and the perf
 * map its node wrote. Bundles are read from disk once each, to name their lines' sources.
 */
export function costsByPart(callgrindText: string, perfMapText: string): Map<string, PartCost> {
  const perf = parsePerfMap(perfMapText);
  const bundles = new Map<string, ((line: number) => string | null) | null>();
  const sourceOf = (file: string, line: number): string | null => {
    let sources = bundles.get(file);
    if (sources === undefined) {
      try {
        sources = bundleSources(readFileSync(file.startsWith('file:') ? fileURLToPath(file) : file, 'utf8'));
      } catch {
        sources = null;
      }
      bundles.set(file, sources);
    }
    return sources ? sources(line) : null;
  };
  // Only code callgrind could not name is looked up: it gives other objects' addresses as loaded,
  // and with a node built position-independent those could fall in a range of the map.
  const byName = selfCosts(callgrindText, (address, fn, object) => {
    const mapped = fn.startsWith('0x') ? perf(address) : null;
    if (mapped !== null) return mapped.replace(/^(JS|LazyCompile|Function):[*~^+]?/, '');
    return `${fn} [${object.split('/').pop()}]`;
  });
  return sumBy(byName, (name) => partOf(name, sourceOf));
}

/** Where a part goes in the summary: fleetsim's own code, what it runs on, V8's builtins and collector. */
export function groupOf(part: string): string {
  if (part.startsWith('package ') || part === 'node: streams' || part.startsWith('libc'))
    return "libraries (broker, client, node's streams, libc)";
  if (part === 'V8 builtins' || part === 'V8 collector') return part;
  if (part === 'V8 and node: other' || part === 'node: other') return 'V8 and node, other';
  return "fleetsim's code";
}

/** The parts added up by group (groupOf). */
export const groupParts = (parts: Map<string, PartCost>): Map<string, PartCost> => sumBy(parts, groupOf);

/** Costs added up under the key each name gets. */
function sumBy(costs: Map<string, PartCost>, keyOf: (name: string) => string): Map<string, PartCost> {
  const sums = new Map<string, PartCost>();
  for (const [name, c] of costs) {
    const key = keyOf(name);
    const sum = sums.get(key) ?? { instructions: 0, llReadMisses: 0, llWriteMisses: 0 };
    sum.instructions += c.instructions;
    sum.llReadMisses += c.llReadMisses;
    sum.llWriteMisses += c.llWriteMisses;
    sums.set(key, sum);
  }
  return sums;
}

/** The parts with the most reads from memory, per unit counted (a check-in, a message), a line each. */
export function describeParts(parts: Map<string, PartCost>, per: number, top = 12): string[] {
  const n = Math.max(1, per);
  return [...parts]
    .sort((a, b) => b[1].llReadMisses - a[1].llReadMisses)
    .slice(0, top)
    .map(
      ([part, c]) =>
        `${(c.llReadMisses / n).toFixed(1).padStart(6)} read misses ${(c.llWriteMisses / n).toFixed(1).padStart(6)} write misses ${Math.round(
          c.instructions / n,
        )
          .toLocaleString('en-US')
          .padStart(7)} instructions  ${part}`,
    );
}
