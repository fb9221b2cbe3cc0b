import { Link, useLocation } from 'react-router';
import { formatNumber } from '../../../lib/i18n/format';
import type { PlainMessageKey } from '../../../lib/i18n/types';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useConversationCounts } from '../hooks/useInbox';
import { inboxTabs, writeInboxFilters, type InboxFilters, type InboxTab } from '../inboxFilters';

const tabLabels: Record<InboxTab, PlainMessageKey> = {
  mine: 'inbox.tabMine',
  unassigned: 'inbox.tabUnassigned',
  all: 'inbox.tabAll',
};

export function InboxTabs({ filters }: { filters: InboxFilters }) {
  const { t, locale } = useI18n();
  const location = useLocation();
  const counts = useConversationCounts(filters);

  return (
    <nav className="inbox-tabs" aria-label={t('inbox.tabsLabel')}>
      {inboxTabs.map((tab) => {
        const count = counts.data?.[tab];
        const search = writeInboxFilters({ ...filters, tab }).toString();
        const current = filters.tab === tab;
        return (
          <Link
            key={tab}
            to={{ pathname: location.pathname, search }}
            aria-current={current ? 'page' : undefined}
            className={current ? 'is-current' : undefined}
            data-testid={`tab-${tab}`}
          >
            {t(tabLabels[tab])}
            {count === undefined || count === null ? null : (
              <span className="tab-count" data-testid={`tab-${tab}-count`}>
                {formatNumber(count, locale)}
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
