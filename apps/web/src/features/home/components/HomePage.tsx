import { useI18n } from '../../../lib/i18n/useI18n';
import type { PlainMessageKey } from '../../../lib/i18n/types';
import { AvailabilitySettings } from '../../account/components/AvailabilitySwitch';
import { PasswordSettings } from '../../account/components/PasswordSettings';
import { ProfileSettings } from '../../account/components/ProfileSettings';
import { TwoFactorSettings } from '../../auth/components/TwoFactorSettings';
import { useSession } from '../../auth/hooks/useMe';

const planLabels: Readonly<Record<string, PlainMessageKey>> = {
  free: 'plan.free',
  starter: 'plan.starter',
  pro: 'plan.pro',
  enterprise: 'plan.enterprise',
};

const roleLabels: Readonly<Record<string, PlainMessageKey>> = {
  owner: 'role.owner',
  admin: 'role.admin',
  agent: 'role.agent',
};

export function HomePage() {
  const { t } = useI18n();
  const { user, organization } = useSession();
  const planKey = planLabels[organization.plan];
  const roleKey = roleLabels[user.role];
  const fullName = `${user.firstName} ${user.lastName}`.trim();

  return (
    <section className="page" aria-labelledby="home-title">
      <title>{`${t('nav.account')} · ${t('app.name')}`}</title>
      <h1 id="home-title">{t('home.title', { name: user.firstName })}</h1>
      <dl className="summary">
        <div>
          <dt>{t('home.organization')}</dt>
          <dd>{organization.name}</dd>
        </div>
        <div>
          <dt>{t('home.accountNumber')}</dt>
          <dd data-testid="account-number" className="mono">
            {organization.accountNumber}
          </dd>
        </div>
        <div>
          <dt>{t('home.plan')}</dt>
          <dd data-testid="org-plan">{planKey === undefined ? organization.plan : t(planKey)}</dd>
        </div>
        <div>
          <dt>{t('home.user')}</dt>
          <dd data-testid="user-name">
            {fullName}
            <span className="muted"> · {user.email}</span>
          </dd>
        </div>
        <div>
          <dt>{t('home.role')}</dt>
          <dd data-testid="user-role">{roleKey === undefined ? user.role : t(roleKey)}</dd>
        </div>
      </dl>
      <ProfileSettings />
      <AvailabilitySettings />
      <PasswordSettings />
      <TwoFactorSettings />
    </section>
  );
}
