import { z } from 'zod';
import { FACT_ROOT, type Shape } from '../../scenarios/engine/fact-shape.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import {
  cleanBody,
  cleanupSettingsBody,
  emptyBody,
  executeActionBody,
  WIPE_BETA,
  WIPE_V1,
} from './graph/bodies.ts';
import { SIM_ANSWERS, SIM_BODIES } from './sim-schemas.ts';

/**
 * What each operation of /openapi.json takes and gives, generated from the zod schemas the routes
 * validate with (`z.toJSONSchema`) and, for a device's modeled state, from the shape the scenario
 * loader checks fact paths against — one description each, so the document cannot drift.
 */

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema, as a request (`input`) or an answer. */
function fromZod(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Every platform's values: an answer may come from any device. */
const ALL_PLATFORMS = { platforms: PLATFORM_IDS.map((id) => PLATFORMS[id]), appNames: [] };

function fromShape(shape: Shape): JsonSchema {
  const nullable = (s: JsonSchema, yes: boolean | undefined): JsonSchema =>
    yes ? { anyOf: [s, { type: 'null' }] } : s;
  switch (shape.t) {
    case 'boolean':
    case 'number':
      return nullable({ type: shape.t }, shape.nullable);
    case 'string': {
      // Per-platform vocabularies (app names) grow with overrides, so only fixed lists are enums.
      const values = shape.values && !shape.perPlatform ? shape.values(ALL_PLATFORMS) : undefined;
      return nullable(values ? { type: 'string', enum: [...values] } : { type: 'string' }, shape.nullable);
    }
    case 'list':
      return { type: 'array', items: fromShape(shape.item) };
    case 'object':
      return nullable(
        {
          type: 'object',
          properties: Object.fromEntries(Object.entries(shape.fields).map(([k, s]) => [k, fromShape(s)])),
          required: Object.keys(shape.fields),
          additionalProperties: false,
        },
        shape.nullable,
      );
  }
}

const factFields = FACT_ROOT.fields;
/** GET /sim/devices/{key} and the power, network and fault answers: one device, all it holds. */
const DEVICE_VIEW: JsonSchema = {
  type: 'object',
  properties: {
    serialNumber: { type: 'string' },
    cohort: { type: 'string' },
    managedDeviceId: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    online: { type: 'boolean' },
    identity: fromShape(factFields.identity!),
    state: fromShape(factFields.state!),
  },
  required: ['serialNumber', 'cohort', 'managedDeviceId', 'online', 'identity', 'state'],
  additionalProperties: false,
};

export interface OperationSchemas {
  body?: JsonSchema;
  /** The success status and its JSON body; none for 204. */
  answer?: { status: number; schema?: JsonSchema; mediaType?: string };
}

const ok = (schema: z.ZodType, status = 200) => ({ status, schema: fromZod(schema, 'output') });
const device = { status: 200, schema: DEVICE_VIEW };
const noContent = { status: 204 };

/** By "METHOD path" (Graph paths without their version; `beta ` first where beta differs). */
export const OPERATION_SCHEMAS: Readonly<Record<string, OperationSchemas>> = {
  'GET /sim/clock': { answer: ok(SIM_ANSWERS.clock) },
  'POST /sim/clock/advance': { body: fromZod(SIM_BODIES.advance, 'input'), answer: ok(SIM_ANSWERS.clock) },
  'PUT /sim/clock/speed': { body: fromZod(SIM_BODIES.speed, 'input'), answer: ok(SIM_ANSWERS.clock) },
  'POST /sim/fleet/enroll': {
    body: fromZod(SIM_BODIES.enroll, 'input'),
    answer: ok(SIM_ANSWERS.enrolled, 201),
  },
  'GET /sim/fleet/devices': { answer: ok(SIM_ANSWERS.fleet) },
  'GET /sim/devices/{key}': { answer: device },
  'POST /sim/devices/{key}/power': { body: fromZod(SIM_BODIES.power, 'input'), answer: device },
  'POST /sim/devices/{key}/network': { body: fromZod(SIM_BODIES.network, 'input'), answer: device },
  'POST /sim/devices/{key}/faults': { body: fromZod(SIM_BODIES.fault, 'input'), answer: device },
  'GET /sim/push': { answer: ok(SIM_ANSWERS.push) },
  'PUT /sim/push/{channel}': { body: fromZod(SIM_BODIES.push, 'input'), answer: ok(SIM_ANSWERS.push) },
  'POST /sim/directory/users': { body: fromZod(SIM_BODIES.user, 'input'), answer: ok(SIM_ANSWERS.user, 201) },
  'DELETE /sim/directory/users/{upn}': { answer: noContent },
  'DELETE /sim/directory/devices/{id}': { answer: noContent },
  'PUT /sim/abm/{serial}': { body: fromZod(SIM_BODIES.abm, 'input'), answer: ok(SIM_ANSWERS.abm) },
  'POST /sim/company-portal': {
    body: fromZod(SIM_BODIES.companyPortal, 'input'),
    answer: ok(SIM_ANSWERS.companyPortal, 202),
  },
  'GET /sim/events': {
    answer: {
      status: 200,
      mediaType: 'application/x-ndjson',
      schema: { type: 'string', description: 'One JSON event a line' },
    },
  },
  'GET /sim/stats': { answer: ok(SIM_ANSWERS.stats) },
  'GET /sim/scenarios': { answer: ok(SIM_ANSWERS.scenarios) },
  'POST /sim/scenarios/runs': {
    body: fromZod(SIM_BODIES.scenarioRun, 'input'),
    answer: ok(SIM_ANSWERS.scenarioRun, 202),
  },
  'GET /sim/scenarios/runs/{id}': { answer: ok(SIM_ANSWERS.scenarioRun) },
  'POST /deviceManagement/managedDevices/{id}/wipe': { body: fromZod(WIPE_V1, 'input'), answer: noContent },
  'beta POST /deviceManagement/managedDevices/{id}/wipe': {
    body: fromZod(WIPE_BETA, 'input'),
    answer: noContent,
  },
  'POST /deviceManagement/managedDevices/{id}/retire': {
    body: fromZod(emptyBody, 'input'),
    answer: noContent,
  },
  'POST /deviceManagement/managedDevices/{id}/cleanWindowsDevice': {
    body: fromZod(cleanBody, 'input'),
    answer: noContent,
  },
  'POST /deviceManagement/managedDevices/{id}/syncDevice': {
    body: fromZod(emptyBody, 'input'),
    answer: noContent,
  },
  'DELETE /deviceManagement/managedDevices/{id}': { answer: noContent },
  'POST /deviceManagement/managedDevices/executeAction': { body: fromZod(executeActionBody, 'input') },
  'PATCH /deviceManagement/managedDeviceCleanupSettings': {
    body: fromZod(cleanupSettingsBody, 'input'),
    answer: noContent,
  },
};
