/**
 * A benchmark child's figures: the JSON on the last line of its stdout, or null (with why on
 * stderr) when that line is missing or not JSON. One child that printed something else must not
 * take a whole table of runs down with it.
 */
export function lastJson<T>(stdout: string, who: string): T | null {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    process.stderr.write(`${who}: no figures on its last line of output (got '${line.slice(0, 200)}')\n`);
    return null;
  }
}
