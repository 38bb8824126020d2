import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bundleSources,
  costsByPart,
  describeParts,
  groupParts,
  parsePerfMap,
  partOf,
  selfCosts,
} from '../../bench/callgrind-parts.ts';

/**
 * A main thread's callgrind file as `--dump-instr=yes` writes it: positions are an instruction's
 * address and a line, names and addresses compressed, relative positions in decimal. The JIT code
 * at 0x1000–0x10ff has no name of callgrind's (its object `???`); `memcpy` has. The line after
 * `calls=` is what the call cost, the callee's, and leaves the position where it was.
 */
const CALLGRIND = [
  '# callgrind format',
  'version: 1',
  'pid: 4242',
  'positions: instr line',
  'events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw',
  '',
  'ob=(1) ???',
  'fl=(1) ???',
  'fn=(1) 0x0000000000001000',
  '0x1000 0 10 4 2 0 1 0 0 3 1',
  '+4 0 5 1 0 0 0 0 0 2',
  'cob=(2) /usr/lib/x86_64-linux-gnu/libc.so.6',
  'cfn=(2) __memcpy_avx_unaligned_erms',
  'calls=1 0x9000 0',
  '* 0 1000 500 500 0 0 0 0 400 400',
  '+16 0 7 0 0 0 0 0 0 1 0',
  '-12 0 2 0 0 0 0 0 0 1 0',
  'fn=(3) 0x0000000000002000',
  '0x2000 0 20 0 0 0 0 0 0 5 0',
  'ob=(2)',
  'fn=(2)',
  '0x9000 0 30 10 10 0 0 0 0 4 6',
  '',
].join('\n');

/** Node's perf map: the code at 0x2000 was collected and its range reused; the later line names it. */
const PERF_MAP = [
  '1000 100 JS:*checkIn file:///build/month.js:5:3',
  '2000 80 JS:*old file:///build/month.js:2:1',
  '2000 80 JS:*nextBatch /app/node_modules/aedes/lib/client.js:66:24',
  // A range over libc's code as callgrind gives it: named code is not looked up.
  '9000 10 JS:*stray file:///build/month.js:5:1',
  '',
].join('\n');

describe('the counted run by part (bench/callgrind-parts.ts)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("names an address by the perf map's range that holds it, the later of two", () => {
    const at = parsePerfMap(PERF_MAP);
    expect(at(0x1000)).toBe('JS:*checkIn file:///build/month.js:5:3');
    expect(at(0x10ff)).toBe('JS:*checkIn file:///build/month.js:5:3');
    expect(at(0x1100)).toBeNull();
    expect(at(0x2010)).toBe('JS:*nextBatch /app/node_modules/aedes/lib/client.js:66:24');
    expect(at(0x0fff)).toBeNull();
  });

  it("adds up each function's own costs, not what its calls cost, through compressed names and positions", () => {
    const costs = selfCosts(CALLGRIND, (address, fn, object) => `${fn}@${object}:${address.toString(16)}`);
    expect(Object.fromEntries(costs)).toEqual({
      '0x0000000000001000@???:1000': { instructions: 10, llReadMisses: 3, llWriteMisses: 1 },
      '0x0000000000001000@???:1004': { instructions: 5, llReadMisses: 2, llWriteMisses: 0 },
      // +16 (decimal) from the call's own position, 0x1004, not from the callee's; then 12 back
      '0x0000000000001000@???:1014': { instructions: 7, llReadMisses: 1, llWriteMisses: 0 },
      '0x0000000000001000@???:1008': { instructions: 2, llReadMisses: 1, llWriteMisses: 0 },
      '0x0000000000002000@???:2000': { instructions: 20, llReadMisses: 5, llWriteMisses: 0 },
      '__memcpy_avx_unaligned_erms@/usr/lib/x86_64-linux-gnu/libc.so.6:9000': {
        instructions: 30,
        llReadMisses: 4,
        llWriteMisses: 6,
      },
    });
  });

  it("tells a bundle's line's source by esbuild's comments", () => {
    const sourceAt = bundleSources(
      [
        '// agent/runtime/device-agent.ts',
        'var a = 1;',
        '',
        '// node_modules/aedes/lib/client.js',
        'x();',
      ].join('\n'),
    );
    expect(sourceAt(2)).toBe('agent/runtime/device-agent.ts');
    expect(sourceAt(5)).toBe('node_modules/aedes/lib/client.js');
    expect(bundleSources('no comments')(1)).toBeNull();
  });

  it('puts each name in its part', () => {
    const sourceOf = (file: string, line: number) =>
      file === 'file:///build/month.js' ||
      file === 'file:///app/node_modules/.cache/fleetsim-bench/7/month.js'
        ? line < 10
          ? 'sim/clock/timer-queue.ts'
          : 'node_modules/mqtt/x.js'
        : null;
    const cases: [name: string, part: string][] = [
      ['pop file:///build/month.js:3:1', 'sim/clock'],
      ['pop file:///app/node_modules/.cache/fleetsim-bench/7/month.js:3:1', 'sim/clock'],
      [' file:///build/month.js:30:1', 'package mqtt'],
      ['publish /app/node_modules/mqtt/build/lib/client.js:449:12', 'package mqtt'],
      ['x file:///app/node_modules/@scope/pkg/i.js:1:1', 'package @scope/pkg'],
      ['clearBuffer node:internal/streams/writable:744:21', 'node: streams'],
      ['emit node:events:470:28', 'node: other'],
      ['f file:///elsewhere/a.js:1:1', '/elsewhere/a.js'],
      ['Builtin:KeyedLoadIC_Megamorphic', 'V8 builtins'],
      ['Builtins_StrictEqual [node]', 'V8 builtins'],
      ['v8::internal::Scavenger::ScavengePage(v8::internal::MemoryChunk*) [node]', 'V8 collector'],
      ['__memcpy_avx_unaligned_erms [libc.so.6]', 'libc (memcpy, malloc)'],
      ['v8::internal::Runtime_GetProperty [node]', 'V8 and node: other'],
      ['v8::internal::ScavengerCollector::CollectGarbage() [node]', 'V8 collector'],
      ['v8::internal::PagedSpace::RefillFreeList() [node]', 'V8 collector'],
      [
        'heap::base::SlotCallbackResult v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>(v8::internal::FullHeapObjectSlot, v8::internal::HeapObject) [node]',
        'V8 collector',
      ],
      [
        'void v8::internal::BodyDescriptorBase::IteratePointers<v8::internal::IterateAndScavengePromotedObjectsVisitor>(v8::internal::HeapObject, int, int, v8::internal::IterateAndScavengePromotedObjectsVisitor*) [node]',
        'V8 collector',
      ],
      ['v8::internal::MarkCompactCollector::ProcessMarkingWorklist(unsigned long) [node]', 'V8 collector'],
      [
        'v8::internal::heap_internals::CombinedWriteBarrierInternal(v8::internal::HeapObject) [node]',
        'V8 collector',
      ],
      // Not the collector, whatever their names or parameters hold
      ['v8::internal::Scanner::SkipWhiteSpace() [node]', 'V8 and node: other'],
      [
        'v8::internal::FeedbackVectorSpec::AddSlot(v8::internal::FeedbackSlotKind) [node]',
        'V8 and node: other',
      ],
      [
        'v8::internal::ScopeInfo::ContextSlotIndex(v8::internal::Handle<v8::internal::String>) [node]',
        'V8 and node: other',
      ],
      [
        'v8::internal::SharedFunctionInfo::SetScript(v8::internal::HeapObject, bool) [node]',
        'V8 and node: other',
      ],
      [
        'v8::internal::Factory::NewJSArrayBuffer(std::shared_ptr<v8::internal::BackingStore>, v8::internal::AllocationType) [node]',
        'V8 and node: other',
      ],
      ['v8::internal::Deserializer<v8::internal::Isolate>::ReadData(int) [node]', 'V8 and node: other'],
    ];
    expect(cases.map(([name]) => [name, partOf(name, sourceOf)])).toEqual(cases);
  });

  it('sums a run by part, with the bundle read from disk, and lists the most read-missing first', () => {
    const d = mkdtempSync(join(tmpdir(), 'fleetsim-parts-'));
    dirs.push(d);
    const bundle = join(d, 'month.js');
    writeFileSync(bundle, ['// agent/runtime/check-in-timer.ts', 'a;', 'b;', 'c;', 'd;', 'e;'].join('\n'));
    const map = PERF_MAP.replaceAll('file:///build/month.js', pathToFileURL(bundle).href);
    const parts = costsByPart(CALLGRIND, map);
    expect(Object.fromEntries(parts)).toEqual({
      'agent/runtime': { instructions: 24, llReadMisses: 7, llWriteMisses: 1 },
      'package aedes': { instructions: 20, llReadMisses: 5, llWriteMisses: 0 },
      'libc (memcpy, malloc)': { instructions: 30, llReadMisses: 4, llWriteMisses: 6 },
    });
    expect(describeParts(parts, 2)).toEqual([
      '   3.5 read misses    0.5 write misses      12 instructions  agent/runtime',
      '   2.5 read misses    0.0 write misses      10 instructions  package aedes',
      '   2.0 read misses    3.0 write misses      15 instructions  libc (memcpy, malloc)',
    ]);
  });

  it("groups the parts: fleetsim's code, the libraries it runs on, V8's builtins and collector, the rest", () => {
    const cost = (n: number) => ({ instructions: n * 100, llReadMisses: n, llWriteMisses: 0 });
    const parts = new Map([
      ['agent/runtime', cost(1)],
      ['broker/service', cost(2)],
      ['/elsewhere/a.js', cost(4)],
      ['package aedes', cost(8)],
      ['node: streams', cost(16)],
      ['libc (memcpy, malloc)', cost(32)],
      ['V8 builtins', cost(64)],
      ['V8 collector', cost(128)],
      ['V8 and node: other', cost(256)],
      ['node: other', cost(512)],
    ]);
    expect(Object.fromEntries([...groupParts(parts)].map(([g, c]) => [g, c.llReadMisses]))).toEqual({
      "fleetsim's code": 7,
      "libraries (broker, client, node's streams, libc)": 56,
      'V8 builtins': 64,
      'V8 collector': 128,
      'V8 and node, other': 768,
    });
  });
});
