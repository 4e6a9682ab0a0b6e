// The deploy contract (docs/architecture.md, Deployment contract): nothing can be deployed from here, so
// deployability is proved by checks. The app is loaded with exactly the settings infra/terraform gives the
// Function App (endpoints as placeholders), the way the worker registers it; then everything it registers,
// reads and calls is looked up in the Terraform. Needs the compiled app (npm test builds first).
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTerraform, type TerraformModel } from './terraform.js';
import {
  contractProblems,
  cosmosProblems,
  listRegistrations,
  loadCompiledApp,
  roleProblems,
  serviceBusProblems,
  settingProblems,
  type Registration,
} from './contract.js';

const repoRoot = resolve(__dirname, '..', '..');

let tf: TerraformModel;
let registrations: Registration[];
/** The packages the app's own files required while loading with the Function App's settings. */
let packages: string[];

beforeAll(async () => {
  tf = await loadTerraform(resolve(repoRoot, 'infra/terraform'));
  ({ registrations, packages } = loadCompiledApp(repoRoot, tf.appSettings));
});

// The production example (APIM and Front Door on) must hold too.
it('holds for the production example as well', async () => {
  const production = await loadTerraform(resolve(repoRoot, 'infra/terraform'), 'production.tfvars.example');
  expect(contractProblems(production, listRegistrations(repoRoot, production.appSettings))).toEqual([]);
});

describe('deploy contract: infra/terraform gives the app what it needs', () => {
  it('loads the app with only the Function App settings: every module registers, nothing throws', () => {
    const names = registrations.map((r) => r.name);
    // One HTTP function, the Durable sagas and each non-HTTP trigger kind are there.
    expect(names).toEqual(expect.arrayContaining(['health', 'booking-reconcile', 'inventory-changes']));
    expect(registrations.some((r) => Object.values(r.bindings).some((b) => b.type === 'orchestrationTrigger'))).toBe(
      true,
    );
  });

  it('registers the same functions with no settings at all: no module reads a setting while it loads', () => {
    // A module that calls config() at load would throw here (or register differently), and on Azure it would
    // take the whole app down with one bad setting instead of failing the handlers that need it.
    const bare = listRegistrations(repoRoot, {});
    expect(bare.map((r) => r.name).sort()).toEqual(registrations.map((r) => r.name).sort());
  });

  it('loads no Azure service SDK, web-push or jose while the modules load: the clients come on first use', () => {
    // The worker imports every module before the first invocation of a cold start; these packages were
    // most of that time (shared/adapters/sdks.ts). The registrations' own packages load, of course.
    expect(packages).toEqual(expect.arrayContaining(['@azure/functions', 'durable-functions']));
    const sdk =
      /^(@azure\/(cosmos|identity|web-pubsub|keyvault-secrets|app-configuration|communication-.*)|web-push|jose)$/;
    expect(packages.filter((p) => sdk.test(p))).toEqual([]);
  });

  it('finds no missing setting, binding expression, topic, subscription, container, hub, secret or role', () => {
    expect(contractProblems(tf, registrations)).toEqual([]);
  });
});

// The checks must be able to fail: take one thing out of the Terraform model and each is named.
describe('deploy contract: each check catches what is missing', () => {
  const without = <K extends keyof TerraformModel>(key: K, edit: (v: TerraformModel[K]) => void): TerraformModel => {
    const copy = structuredClone(tf);
    edit(copy[key]);
    return copy;
  };

  it('a setting the app requires', () => {
    const broken = without('appSettings', (s) => delete s.PAYMENTS_BASE_URL);
    expect(settingProblems(broken)).toEqual([expect.stringMatching(/^setting PAYMENTS_BASE_URL:/)]);
  });

  it('a setting only a binding reads', () => {
    const broken = without('appSettings', (s) => delete s.RECONCILE_SCHEDULE);
    expect(contractProblems(broken, registrations)).toContainEqual(
      expect.stringMatching(/^setting RECONCILE_SCHEDULE: booking-reconcile's schedule/),
    );
  });

  it('a container', () => {
    const broken = without('cosmosContainers', (c) => c.delete('tickets'));
    expect(cosmosProblems(broken, registrations)).toEqual([expect.stringMatching(/^Cosmos container tickets:/)]);
  });

  it('a subscription', () => {
    const broken = without('subscriptions', (s) => s.delete('booking-events/realtime-status'));
    expect(serviceBusProblems(broken, registrations)).toEqual([
      expect.stringMatching(/^Service Bus subscription booking-events\/realtime-status: read by booking-status-push/),
    ]);
  });

  it('a role', () => {
    const broken = without('appIdentityRoles', (r) => r.delete('Azure Service Bus Data Sender'));
    expect(roleProblems(broken, registrations)).toEqual([
      expect.stringMatching(/^role Azure Service Bus Data Sender:/),
    ]);
  });
});
