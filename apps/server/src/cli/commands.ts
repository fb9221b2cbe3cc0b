import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema } from '@switchboard/contracts';
import { createApp, type SwitchboardApp } from '../app.ts';
import { AppError } from '../platform/errors.ts';
import { systemActor } from '../platform/auth/principal.ts';
import { planIds } from '../modules/organizations/plans.ts';
import { openRuntime } from '../runtime.ts';
import type { CliFlags } from './cli.ts';
import { seedDemo } from './demo-seed.ts';

/** Validates flags like the API validates bodies: every problem, each with its flag name. */
function parseFlags<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError('validation_failed', 'invalid arguments', {
    errors: result.error.issues.map((i) => ({ path: `--${i.path.join('.')}`, message: i.message })),
  });
}

/** Runs `fn` with the app's services over the configured database, without serving HTTP. */
async function withApp<T>(fn: (app: SwitchboardApp) => Promise<T>): Promise<T> {
  const runtime = await openRuntime({}, { LOG_LEVEL: 'warn' });
  try {
    const app = await createApp({
      config: runtime.config,
      database: runtime.database,
      secretKey: runtime.secretKey,
      worker: false,
    });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  } finally {
    await runtime.release();
  }
}

export async function runMigrate(): Promise<void> {
  const runtime = await openRuntime({}, { LOG_LEVEL: 'warn' });
  await runtime.release();
  process.stdout.write('Migrations applied.\n');
}

export async function runOperatorCreate(flags: CliFlags): Promise<void> {
  const input = parseFlags(
    z.object({ email: emailSchema, password: passwordSchema, name: nameSchema.default('Operator') }),
    flags,
  );
  const operator = await withApp((app) => app.services.operators.createOperator(input));
  process.stdout.write(`Operator ${operator.email} created (${operator.id}).\n`);
}

export async function runOrgCreate(flags: CliFlags): Promise<void> {
  const input = parseFlags(
    z.object({
      name: z.string().trim().min(1, 'Required').max(200),
      'owner-email': emailSchema,
      'owner-password': passwordSchema,
      'owner-first-name': nameSchema.default('Owner'),
      'owner-last-name': nameSchema.default('Account'),
      'legal-number': z.string().trim().max(64).optional(),
      plan: z.enum(planIds).default('free'),
      json: z.boolean().optional(),
    }),
    flags,
  );
  const { organization, owner } = await withApp((app) =>
    app.services.organizations.createOrganization(
      {
        name: input.name,
        legalNumber: input['legal-number'],
        plan: input.plan,
        owner: {
          email: input['owner-email'],
          password: input['owner-password'],
          firstName: input['owner-first-name'],
          lastName: input['owner-last-name'],
        },
      },
      systemActor,
    ),
  );
  const result = {
    organizationId: organization.id,
    userId: owner.id,
    accountNumber: organization.accountNumber,
    email: owner.email,
  };
  process.stdout.write(
    input.json
      ? `${JSON.stringify(result)}\n`
      : `Organization ${organization.name} (${organization.accountNumber}) created; owner ${owner.email}.\n`,
  );
}

export async function runDemoSeed(): Promise<void> {
  const demo = await withApp((app) => seedDemo(app));
  process.stdout.write(`Demo organization ready. Sign in as ${demo.email} / ${demo.password}\n`);
}
