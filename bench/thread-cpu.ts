import { readFileSync } from 'node:fs';

/** The main thread's CPU so far in µs (utime + stime of its /proc task), or null off Linux. */
export function mainThreadCpuUs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1e6) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}
/** USER_HZ: Linux reports thread CPU in hundredths of a second. */
const CLOCK_TICKS_PER_S = 100;
