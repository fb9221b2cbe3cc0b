import { useId } from 'react';
import { CheckboxField } from '../../../components/form/Fields';
import { useI18n } from '../../../lib/i18n/useI18n';
import { halfHours, type IntervalState } from '../numberForm';

const timeZones: readonly string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** Weekday names for ISO days 1 (Monday) … 7 (Sunday); 1 January 2024 was a Monday. */
function weekdayName(day: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(new Date(2024, 0, day));
}

function TimeSelect({
  label,
  value,
  options,
  onChange,
  error,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const all = options.includes(value) ? options : [value, ...options];
  return (
    <span className="hours-time">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error === undefined ? undefined : true}
      >
        {all.map((time) => (
          <option key={time} value={time}>
            {time}
          </option>
        ))}
      </select>
    </span>
  );
}

export interface BusinessHoursValue {
  enabled: boolean;
  timeZone: string;
  intervals: IntervalState[];
}

/** A weekly schedule in a time zone: the number's away and greeting messages depend on it. */
export function BusinessHoursEditor({
  value,
  onChange,
  errors,
}: {
  value: BusinessHoursValue;
  onChange: (next: BusinessHoursValue) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const { t, locale } = useI18n();
  const zoneId = useId();
  const listId = useId();
  const set = (patch: Partial<BusinessHoursValue>) => onChange({ ...value, ...patch });
  const setInterval = (index: number, patch: Partial<IntervalState>) =>
    set({
      intervals: value.intervals.map((interval, i) => (i === index ? { ...interval, ...patch } : interval)),
    });
  const fieldError = (path: string) => errors[`businessHours.${path}`];

  return (
    <fieldset className="business-hours">
      <legend>{t('numbers.businessHours')}</legend>
      <CheckboxField
        label={t('numbers.hoursEnabled')}
        hint={t('numbers.hoursHint')}
        checked={value.enabled}
        onChange={(enabled) => set({ enabled })}
      />
      {value.enabled ? (
        <>
          <div className="field">
            <label htmlFor={zoneId}>{t('numbers.timeZone')}</label>
            <input
              id={zoneId}
              list={listId}
              value={value.timeZone}
              onChange={(e) => set({ timeZone: e.target.value })}
              aria-invalid={fieldError('timeZone') === undefined ? undefined : true}
            />
            <datalist id={listId}>
              {timeZones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            {fieldError('timeZone') === undefined ? null : (
              <p className="field-error">{fieldError('timeZone')}</p>
            )}
          </div>
          <ul className="hours-list">
            {value.intervals.map((interval, index) => {
              const error =
                fieldError(`intervals.${index}.end`) ??
                fieldError(`intervals.${index}.start`) ??
                fieldError(`intervals.${index}.day`);
              const dayLabel = weekdayName(interval.day, locale);
              return (
                <li key={index}>
                  <label className="visually-hidden" htmlFor={`${listId}-day-${index}`}>
                    {t('numbers.day')}
                  </label>
                  <select
                    id={`${listId}-day-${index}`}
                    value={interval.day}
                    onChange={(e) => setInterval(index, { day: Number(e.target.value) })}
                  >
                    {[1, 2, 3, 4, 5, 6, 7].map((day) => (
                      <option key={day} value={day}>
                        {weekdayName(day, locale)}
                      </option>
                    ))}
                  </select>
                  <TimeSelect
                    label={t('numbers.opens', { day: dayLabel })}
                    value={interval.start}
                    options={halfHours(false)}
                    onChange={(start) => setInterval(index, { start })}
                  />
                  <span aria-hidden="true">–</span>
                  <TimeSelect
                    label={t('numbers.closes', { day: dayLabel })}
                    value={interval.end}
                    options={halfHours(true)}
                    onChange={(end) => setInterval(index, { end })}
                    error={error}
                  />
                  <button
                    type="button"
                    className="button-link"
                    onClick={() => set({ intervals: value.intervals.filter((_, i) => i !== index) })}
                  >
                    {t('numbers.removeInterval')}
                  </button>
                  {error === undefined ? null : <p className="field-error">{t('numbers.intervalInvalid')}</p>}
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            className="button-secondary"
            onClick={() => set({ intervals: [...value.intervals, { day: 1, start: '09:00', end: '18:00' }] })}
          >
            {t('numbers.addInterval')}
          </button>
        </>
      ) : null}
    </fieldset>
  );
}
