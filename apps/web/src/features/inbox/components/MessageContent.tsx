import { useState } from 'react';
import { formatNumber } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { attachmentUrl, mediaUrl } from '../api/conversationsApi';
import type { Message } from '../api/types';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function Text({ text }: { text: string }) {
  return <p className="message-text">{text}</p>;
}

/** Images, audio, video and documents through GET /messages/{id}/media, once downloaded. */
function Media({ message }: { message: Message }) {
  const { t } = useI18n();
  const [broken, setBroken] = useState(false);
  const c = message.content;
  const caption = str(c['caption']);
  const download = str(c['download']);
  if (download === 'failed') return <p className="media-note">{t('media.failed')}</p>;
  if (download === 'pending' || broken) {
    return (
      <>
        <p className="media-note">{download === 'pending' ? t('media.pending') : t('media.unavailable')}</p>
        {caption === undefined ? null : <Text text={caption} />}
      </>
    );
  }
  // Inbound files come from the media route; ours from the upload (or the link) they were sent with.
  const attachmentId = str(c['attachmentId']);
  const src =
    message.direction === 'inbound'
      ? mediaUrl(message.id)
      : attachmentId !== undefined
        ? attachmentUrl(attachmentId)
        : (str(c['link']) ?? mediaUrl(message.id));
  const onError = () => setBroken(true);
  let body;
  switch (message.type) {
    case 'image':
    case 'sticker':
      body = (
        <a href={src} target="_blank" rel="noreferrer">
          <img
            className={`media-image ${message.type}`}
            src={src}
            alt={caption ?? t('media.image')}
            loading="lazy"
            onError={onError}
          />
        </a>
      );
      break;
    case 'audio':
      body = (
        <audio
          className="media-audio"
          controls
          preload="none"
          src={src}
          aria-label={t('media.audio')}
          onError={onError}
        />
      );
      break;
    case 'video':
      body = (
        <video
          className="media-video"
          controls
          preload="metadata"
          src={src}
          aria-label={caption ?? t('media.video')}
          onError={onError}
        />
      );
      break;
    default:
      body = (
        <a className="media-document" href={src} download={str(c['filename']) ?? true}>
          <span aria-hidden="true">📄 </span>
          {str(c['filename']) ?? t('media.document')}
        </a>
      );
  }
  return (
    <>
      {body}
      {caption === undefined ? null : <Text text={caption} />}
    </>
  );
}

function Location({ content }: { content: Json }) {
  const { t } = useI18n();
  const lat = num(content['latitude']);
  const lon = num(content['longitude']);
  const label = [str(content['name']), str(content['address'])].filter((s) => s !== undefined).join(' · ');
  return (
    <div className="message-card">
      <p>
        <span aria-hidden="true">📍 </span>
        {label === '' ? t('message.location') : label}
      </p>
      {lat === undefined || lon === undefined ? null : (
        <a
          href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`}
          target="_blank"
          rel="noreferrer"
        >
          {t('message.openMap')}
        </a>
      )}
    </div>
  );
}

function Contacts({ content }: { content: Json }) {
  const { t } = useI18n();
  return (
    <ul className="message-contacts" aria-label={t('message.sharedContacts')}>
      {arr(content['contacts']).map((raw, i) => {
        const card = obj(raw);
        const name = str(obj(card['name'])['formatted_name']) ?? t('contact.unknown');
        const phones = arr(card['phones'])
          .map((p) => str(obj(p)['phone']))
          .filter((p) => p !== undefined);
        return (
          <li key={i} className="message-card">
            <span aria-hidden="true">👤 </span>
            <strong>{name}</strong>
            {phones.map((phone) => (
              <span key={phone} className="muted">
                {' '}
                {phone}
              </span>
            ))}
          </li>
        );
      })}
    </ul>
  );
}

function Interactive({ content }: { content: Json }) {
  const { t } = useI18n();
  const kind = str(content['kind']);
  if (kind === 'button_reply' || kind === 'list_reply') {
    return (
      <p className="message-choice">
        <span className="muted">{t('message.chose')} </span>
        <strong>{str(content['title']) ?? ''}</strong>
        {str(content['description']) === undefined ? null : (
          <span className="muted"> · {str(content['description'])}</span>
        )}
      </p>
    );
  }
  if (kind === 'flow_reply')
    return <p className="message-choice">{str(content['body']) ?? t('message.flowReply')}</p>;
  return <Text text={str(content['body']) ?? str(content['title']) ?? t('message.unsupported')} />;
}

export function MessageContent({ message }: { message: Message }) {
  const { t, locale } = useI18n();
  const c = message.content;
  if (c['revoked'] === true) return <p className="muted message-text">{t('message.deleted')}</p>;
  switch (message.type) {
    case 'text':
    case 'system':
      return <Text text={str(c['body']) ?? ''} />;
    case 'image':
    case 'sticker':
    case 'audio':
    case 'video':
    case 'document':
      return <Media message={message} />;
    case 'location':
      return <Location content={c} />;
    case 'contacts':
      return <Contacts content={c} />;
    case 'interactive':
      return <Interactive content={c} />;
    case 'button':
      return (
        <p className="message-choice">
          <span className="muted">{t('message.tapped')} </span>
          <strong>{str(c['text']) ?? ''}</strong>
        </p>
      );
    case 'reaction':
      return <p className="message-text">{t('message.reacted', { emoji: str(c['emoji']) ?? '∅' })}</p>;
    case 'order':
      return (
        <p className="message-text">
          {t('message.order', { count: formatNumber(arr(c['items']).length, locale) })}
          {str(c['text']) === undefined ? null : ` · ${str(c['text'])}`}
        </p>
      );
    case 'template':
      return <Text text={str(c['body']) ?? str(c['name']) ?? t('message.template')} />;
    default:
      return <p className="muted message-text">{t('message.unsupported')}</p>;
  }
}
