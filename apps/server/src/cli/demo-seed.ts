import type { SwitchboardApp } from '../app.ts';
import { systemActor } from '../platform/auth/principal.ts';
import { userLookup } from '../modules/users/users.repo.ts';

/** Publicly documented demo credentials: for local evaluation only, never for production data. */
export const demoLogin = { email: 'demo@switchboard.local', password: 'switchboard-demo' } as const;

/** Creates the demo organization (an owner and an agent) unless it exists. Idempotent. */
export async function seedDemo(app: SwitchboardApp): Promise<typeof demoLogin & { organizationId: string }> {
  const { database, services } = app;
  const existing = await database.system((tx) => userLookup(tx).findByEmail(demoLogin.email));
  if (existing) return { ...demoLogin, organizationId: existing.tenantId };
  const { organization } = await services.organizations.createOrganization(
    {
      name: 'Demo Company',
      plan: 'pro',
      owner: { email: demoLogin.email, password: demoLogin.password, firstName: 'Dana', lastName: 'Demo' },
    },
    systemActor,
  );
  await services.users.createUser(
    organization.id,
    {
      email: 'agent@switchboard.local',
      password: demoLogin.password,
      firstName: 'Alex',
      lastName: 'Agent',
      role: 'agent',
    },
    systemActor,
  );
  return { ...demoLogin, organizationId: organization.id };
}
