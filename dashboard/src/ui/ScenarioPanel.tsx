import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import {
  type LibraryScenario,
  runIsOver,
  runTimeline,
  runVerdict,
  type ScenarioRun,
  simOffset,
} from '../logic/scenario-run.ts';

const MARK = { waiting: '○', done: '•', passed: '✓', failed: '✗' } as const;

/**
 * Scenario playback: pick a file from the server's scenario library, run it (in its own emulator,
 * beside this fleet), and watch its steps happen and its expectations turn green or red.
 */
export function ScenarioPanel(props: { api: Api; onClose: () => void }) {
  const { api } = props;
  const [library, setLibrary] = useState<LibraryScenario[] | null>(null);
  const [file, setFile] = useState('');
  const [run, setRun] = useState<ScenarioRun | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const following = useRef(0);

  useEffect(() => {
    void api.get<{ scenarios: LibraryScenario[] }>('/sim/scenarios').then((r) => {
      setLibrary(r.scenarios);
      setFile((f) => f || (r.scenarios.find((s) => !s.problem)?.file ?? ''));
    });
    // Stop following a run when the panel closes.
    return () => {
      following.current++;
    };
  }, [api]);

  /** Long-polls the run until it is over; a newer run (or closing the panel) ends this loop. */
  const follow = async (first: ScenarioRun) => {
    const mine = ++following.current;
    let current = first;
    while (!runIsOver(current) && following.current === mine) {
      const r = await api.call<ScenarioRun>(
        'GET',
        `/sim/scenarios/runs/${current.id}?after=${current.progress}`,
      );
      if (!r.ok) return setProblem(r.refusal.message);
      current = r.value;
      if (following.current === mine) setRun(current);
    }
  };

  const start = async () => {
    setProblem(null);
    const r = await api.call<ScenarioRun>('POST', '/sim/scenarios/runs', { file });
    if (!r.ok) return setProblem(r.refusal.message);
    setRun(r.value);
    await follow(r.value);
  };

  const chosen = library?.find((s) => s.file === file);
  const running = run !== null && !runIsOver(run);
  const verdict = run ? runVerdict(run) : null;
  return (
    <aside class="drawer scenarios" aria-labelledby="scenarios-title" data-testid="scenario-panel">
      <header>
        <h2 id="scenarios-title">Scenario playback</h2>
        <button type="button" aria-label="Close scenario playback" onClick={props.onClose}>
          ✕
        </button>
      </header>
      {library === null ? (
        <p class="note">Reading the scenario library…</p>
      ) : library.length === 0 ? (
        <p class="note">The scenario library is empty.</p>
      ) : (
        <form
          class="pick"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <label for="scenario-file">Scenario</label>
          <select
            id="scenario-file"
            value={file}
            onChange={(e) => setFile((e.target as HTMLSelectElement).value)}
          >
            {library.map((s) => (
              <option value={s.file} disabled={s.problem !== null}>
                {s.name} ({s.file})
              </option>
            ))}
          </select>
          <button type="submit" disabled={running || !chosen || chosen.problem !== null}>
            {running ? 'Running…' : 'Run'}
          </button>
        </form>
      )}
      {chosen && (
        <p class="note">
          {chosen.description}
          {chosen.specIds.length > 0 && <span class="rules"> rules {chosen.specIds.join(', ')}</span>}
        </p>
      )}
      {problem && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      {run && verdict && (
        <section aria-label="Scenario run">
          <h3>{run.name}</h3>
          <p class={`verdict ${verdict.state}`} role="status" data-testid="scenario-verdict">
            {verdict.text}
          </p>
          <ol class="timeline" data-testid="scenario-timeline">
            {runTimeline(run).map((e) => (
              <li key={e.key} class={`${e.kind} ${e.state}`} data-state={e.state}>
                <span class="mark" aria-hidden="true">
                  {MARK[e.state]}
                </span>
                <time>{e.atMs === null ? '…' : simOffset(e.atMs)}</time>{' '}
                <span class="sr-only">{e.state}: </span>
                {e.text}
                {e.specIds.length > 0 && <span class="rules"> {e.specIds.join(', ')}</span>}
                {e.found !== null && (
                  <div class="judged">
                    expected {e.expected}; found {e.found}
                  </div>
                )}
              </li>
            ))}
          </ol>
          <p class="note">
            seed {run.seed}
            {run.wallMs !== null ? `, ran in ${(run.wallMs / 1000).toFixed(1)} s` : ''} · replay:{' '}
            <code>{run.replay}</code>
          </p>
        </section>
      )}
    </aside>
  );
}
