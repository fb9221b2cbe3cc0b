import { Link } from 'react-router';
import { Disclosure } from '../../components/Disclosure';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useI18n } from '../../lib/i18n/useI18n';
import type { PlainMessageKey } from '../../lib/i18n/types';
import { AvailabilitySwitch } from '../account/components/AvailabilitySwitch';
import { useSession } from '../auth/hooks/useMe';
import { userName } from '../directory/hooks/useDirectory';

export const roleLabels: Readonly<Record<string, PlainMessageKey>> = {
  owner: 'role.owner',
  admin: 'role.admin',
  agent: 'role.agent',
};

/** The signed-in user: who they are, their account pages, their availability and the language. */
export function UserMenu() {
  const { t } = useI18n();
  const { user } = useSession();
  const roleKey = roleLabels[user.role];
  const name = userName(user);
  const initials = name
    .split(/\s+/)
    .map((part) => part.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase();

  return (
    <Disclosure
      label={t('userMenu.label', { name })}
      buttonClassName="button-ghost user-button"
      panelClassName="user-menu"
      button={
        <>
          <span className="avatar" aria-hidden="true">
            {initials}
            <span className={`avatar-status availability-${user.availability}`} />
          </span>
          <span className="header-user">{name}</span>
        </>
      }
    >
      {(close) => (
        <div>
          <p className="user-menu-who">
            <strong>{name}</strong>
            <span className="muted">{user.email}</span>
            <span className="muted">{roleKey === undefined ? user.role : t(roleKey)}</span>
          </p>
          <ul className="menu-list">
            <li>
              <Link to="/account" onClick={close}>
                {t('nav.account')}
              </Link>
            </li>
            <li>
              <Link to="/account/sessions" onClick={close}>
                {t('nav.sessions')}
              </Link>
            </li>
          </ul>
          <AvailabilitySwitch compact />
          <LanguageSwitch />
        </div>
      )}
    </Disclosure>
  );
}
