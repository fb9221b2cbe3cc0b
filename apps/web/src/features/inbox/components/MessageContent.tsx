import { useState } from 'react';
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

/**
 * A message with a header, body, footer and buttons, as the client sees it: our interactive sends
 * (the Cloud API object we sent) and templates (the text rendered with their parameters).
 */
function MessageCard({
  label,
  header,
  body,
  footer,
  buttons,
  list,
}: {
  label?: string;
  header?: Json;
  body?: string;
  footer?: string;
  buttons: { text: string; url?: string }[];
  list?: { button: string; sections: { title?: string; rows: { title: string; description?: string }[] }[] };
}) {
  const { t } = useI18n();
  const headerText = header && str(header['type']) === 'text' ? str(header['text']) : undefined;
  const headerMedia = header && str(header['type']) !== 'text' ? str(header['type']) : undefined;
  return (
    <div className="message-card" data-testid="message-card">
      {label === undefined ? null : <p className="message-card-label">{label}</p>}
      {headerMedia === undefined ? null : (
        <p className="media-note">
          {t('message.cardMedia', {
            kind: t(
              headerMedia === 'video'
                ? 'media.video'
                : headerMedia === 'document'
                  ? 'media.document'
                  : 'media.image',
            ),
          })}
        </p>
      )}
      {headerText === undefined ? null : <p className="message-card-header">{headerText}</p>}
      {body === undefined ? null : <Text text={body} />}
      {footer === undefined ? null : <p className="message-card-footer">{footer}</p>}
      {buttons.length === 0 ? null : (
        <ul className="message-card-buttons" aria-label={t('message.cardButtons')}>
          {buttons.map((b, i) => (
            <li key={i}>
              {b.url === undefined ? (
                b.text
              ) : (
                <a href={b.url} target="_blank" rel="noreferrer">
                  {b.text}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
      {list === undefined ? null : (
        <details className="message-card-list">
          <summary>{list.button}</summary>
          {list.sections.map((section, i) => (
            <div key={i}>
              {section.title === undefined ? null : <p className="message-card-section">{section.title}</p>}
              <ul>
                {section.rows.map((row, j) => (
                  <li key={j}>
                    {row.title}
                    {row.description === undefined ? null : (
                      <span className="muted"> · {row.description}</span>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </details>
      )}
    </div>
  );
}

/** An outbound interactive message (reply buttons, a list, a link button), as we sent it. */
function SentInteractive({ content }: { content: Json }) {
  const header = content['header'] === undefined ? undefined : obj(content['header']);
  const common = {
    ...(header === undefined ? {} : { header }),
    ...optional('body', str(obj(content['body'])['text'])),
    ...optional('footer', str(obj(content['footer'])['text'])),
  };
  const type = str(content['type']);
  if (type === 'button') {
    return (
      <MessageCard
        {...common}
        buttons={arr(content['buttons']).map((b) => ({ text: str(obj(b)['title']) ?? '' }))}
      />
    );
  }
  if (type === 'list') {
    return (
      <MessageCard
        {...common}
        buttons={[]}
        list={{
          button: str(content['button']) ?? '',
          sections: arr(content['sections']).map((x) => ({
            ...optional('title', str(obj(x)['title'])),
            rows: arr(obj(x)['rows']).map((r) => ({
              title: str(obj(r)['title']) ?? '',
              ...optional('description', str(obj(r)['description'])),
            })),
          })),
        }}
      />
    );
  }
  // cta_url: one button that opens a link.
  const action = obj(content['action']);
  const url = str(action['url']);
  return (
    <MessageCard
      {...common}
      buttons={[{ text: str(action['displayText']) ?? url ?? '', ...optional('url', url) }]}
    />
  );
}

/** A template as the client received it: rendered with its parameters when it was sent. */
function SentTemplate({ content }: { content: Json }) {
  const { t } = useI18n();
  const rendered = obj(content['rendered']);
  const header = rendered['header'] === null ? undefined : obj(rendered['header']);
  return (
    <MessageCard
      label={t('message.templateNamed', {
        name: str(content['name']) ?? '',
        language: str(content['language']) ?? '',
      })}
      {...(header === undefined ? {} : { header })}
      {...optional('body', str(rendered['body']))}
      {...optional('footer', str(rendered['footer']))}
      buttons={arr(rendered['buttons']).map((b) => ({
        text: str(obj(b)['text']) ?? '',
        ...optional('url', str(obj(b)['url'])),
      }))}
    />
  );
}

/** `{ [key]: value }` when value is defined, else nothing (for optional props). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function Interactive({ content, outbound }: { content: Json; outbound: boolean }) {
  const { t } = useI18n();
  if (outbound && content['kind'] === undefined) return <SentInteractive content={content} />;
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
  const { t, plural } = useI18n();
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
      return <Interactive content={c} outbound={message.direction === 'outbound'} />;
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
          {plural('message.order', arr(c['items']).length)}
          {str(c['text']) === undefined ? null : ` · ${str(c['text'])}`}
        </p>
      );
    case 'template':
      return <SentTemplate content={c} />;
    default:
      return <p className="muted message-text">{t('message.unsupported')}</p>;
  }
}
