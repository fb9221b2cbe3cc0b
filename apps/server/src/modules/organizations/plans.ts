// Plans and their usage limits. A plan's limits are enforced by the module that owns the
// resource (users here; WhatsApp numbers in the channel module).
export const plans = {
  free: { label: 'Free', maxUsers: 3, maxWhatsappNumbers: 1 },
  starter: { label: 'Starter', maxUsers: 10, maxWhatsappNumbers: 2 },
  pro: { label: 'Pro', maxUsers: 50, maxWhatsappNumbers: 5 },
  enterprise: { label: 'Enterprise', maxUsers: 1000, maxWhatsappNumbers: 50 },
} as const;

export type PlanId = keyof typeof plans;
export const planIds = Object.keys(plans) as [PlanId, ...PlanId[]];

export function planLimits(plan: string): (typeof plans)[PlanId] {
  return plans[(plan in plans ? plan : 'free') as PlanId];
}
