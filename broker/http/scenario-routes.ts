import type { FastifyInstance } from 'fastify';
import { GraphError } from './graph/errors.ts';
import { ScenarioLibrary } from './scenario-library.ts';
import { ScenarioRuns } from './scenario-runs.ts';
import { SIM_BODIES, type SimAnswer } from './sim-schemas.ts';
import { parseBody } from './validate.ts';

/**
 * Scenario playback under /sim/scenarios (behind the bearer token like every /sim route): the
 * library's files, a run started by name, and the run as it goes (long-polled with ?after=).
 */
export function registerScenarioRoutes(app: FastifyInstance, deps: { scenarioDir: string }): void {
  const library = new ScenarioLibrary(deps.scenarioDir);
  const runs = new ScenarioRuns();
  app.get('/sim/scenarios', async (): Promise<SimAnswer<'scenarios'>> => ({ scenarios: library.list() }));
  app.post('/sim/scenarios/runs', async (req, reply): Promise<SimAnswer<'scenarioRun'>> => {
    const body = parseBody(SIM_BODIES.scenarioRun, req.body, 'sim.scenarioRun');
    const run = runs.start(library.load(body.file), body);
    reply.code(202);
    return run;
  });
  app.get<{ Params: { id: string }; Querystring: { after?: string } }>(
    '/sim/scenarios/runs/:id',
    async (req): Promise<SimAnswer<'scenarioRun'>> => {
      const { after } = req.query;
      if (after !== undefined && !/^\d{1,9}$/.test(after))
        throw GraphError.badRequest(`Query parameter 'after' must be a whole number, got '${after}'.`);
      return runs.get(req.params.id, after === undefined ? undefined : Number(after));
    },
  );
}
