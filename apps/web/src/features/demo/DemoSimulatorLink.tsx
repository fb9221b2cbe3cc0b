import { DEFAULT_GRAPH_BASE_URL } from '@switchboard/contracts';
import { useI18n } from '../../lib/i18n/useI18n';
import { useNumbers } from '../directory/hooks/useDirectory';
import { simulatorUrl } from './simulatorUrl';

/**
 * In the demo (`npm start`), numbers talk to the WhatsApp simulator instead of Meta; its phone page
 * lets a newcomer write as a customer. The API has no "demo" flag, so the simulator is recognised
 * as a number's Graph base URL that is not Meta's.
 */
export function DemoSimulatorLink() {
  const { t } = useI18n();
  const numbers = useNumbers();
  const url = simulatorUrl(numbers.data ?? [], DEFAULT_GRAPH_BASE_URL);
  if (url === undefined) return null;
  return (
    <a className="demo-link" href={url} target="_blank" rel="noreferrer">
      {t('demo.openSimulator')}
    </a>
  );
}
