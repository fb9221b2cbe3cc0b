import type { ReactNode } from 'react';
import { useI18n } from '../../../lib/i18n/useI18n';

/** One settings page: its title (also the document title), an intro and its content. */
export function SettingsSection({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className="settings-section" aria-labelledby="settings-title">
      <title>{`${title} · ${t('nav.settings')} · ${t('app.name')}`}</title>
      <h2 id="settings-title">{title}</h2>
      {intro === undefined ? null : <p className="page-intro">{intro}</p>}
      {children}
    </section>
  );
}
