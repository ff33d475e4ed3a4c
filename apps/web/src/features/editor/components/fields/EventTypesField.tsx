import { isKnownStripeEventType } from '@handoff/nodes';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { eventPickerView, toggleEventType } from '../../lib/eventPicker';
import { FieldShell } from './FieldShell';
import { testIdFor, type FieldProps } from './types';

const NOT_LISTED = 'Not in Stripe’s list of event types known to Handoff; accepted as typed';

/** Stripe event types: chips for the chosen ones, a searchable grouped list, and any well-formed type typed in. */
export function EventTypesField({ field, value, onChange, path, errors, readOnly }: FieldProps<'eventTypes'>) {
  const id = testIdFor(path);
  const listId = useId();
  const selected = useMemo(() => {
    const list = Array.isArray(value) ? value : Array.isArray(field.default) ? field.default : [];
    return list.filter((v): v is string => typeof v === 'string');
  }, [value, field.default]);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const view = useMemo(() => eventPickerView(query, selected, field.wildcard), [query, selected, field.wildcard]);
  const toggle = (type: string) => onChange(toggleEventType(selected, type));
  const activeType = view.flat[Math.min(active, view.flat.length - 1)];
  const optionId = (type: string) => `${listId}-${type}`;

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => Math.max(0, Math.min(view.flat.length - 1, i + step)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (!activeType) return;
      toggle(activeType);
      if (activeType === view.typed) setQuery('');
    } else if (e.key === 'Escape') {
      setOpen(false);
    } else if (e.key === 'Backspace' && query === '' && selected.length) {
      onChange(selected.slice(0, -1));
    }
  };

  return (
    <FieldShell field={field} errors={errors} group>
      <div className="event-picker" data-testid={id}>
        {selected.length > 0 && (
          <ul className="event-chips" aria-label={`Chosen ${field.label.toLowerCase()}`}>
            {selected.map((t) => (
              <li key={t} className={isKnownStripeEventType(t) ? 'chip event-chip' : 'chip event-chip is-typed'} data-testid={`${id}-chip-${t}`} title={isKnownStripeEventType(t) ? undefined : NOT_LISTED}>
                <span className="mono-soft">{t}</span>
                {!isKnownStripeEventType(t) && <span className="event-chip-note">typed</span>}
                {!readOnly && (
                  <button type="button" className="icon-btn" aria-label={`Remove ${t}`} onClick={() => toggle(t)}>
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!readOnly && (
          <div
            className="event-combo"
            onBlur={(e) => {
              if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
            }}
          >
            <input
              type="search"
              role="combobox"
              aria-expanded={open}
              aria-controls={listId}
              aria-activedescendant={open && activeType ? optionId(activeType) : undefined}
              aria-label={`Find or type ${field.label.toLowerCase()}`}
              placeholder="Search Stripe events or type one…"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
                setOpen(true);
              }}
              onFocus={() => setOpen(true)}
              onClick={() => setOpen(true)}
              onKeyDown={onKeyDown}
              data-testid={`${id}-search`}
            />
            {open && (
              <div className="event-list" id={listId} role="listbox" aria-multiselectable="true" aria-label={field.label} tabIndex={-1}>
                {view.typed && (
                  <div
                    id={optionId(view.typed)}
                    role="option"
                    aria-selected={false}
                    className={activeType === view.typed ? 'event-option is-active' : 'event-option'}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => {
                      toggle(view.typed!);
                      setQuery('');
                    }}
                    data-testid={`${id}-add-typed`}
                  >
                    Add <code>{view.typed}</code> <span className="muted small">(not in Stripe’s list)</span>
                  </div>
                )}
                {view.groups.map((g) => (
                  <div key={g.group} role="group" aria-label={g.group}>
                    <div className="event-group">{g.group}</div>
                    {g.types.map((t) => {
                      const on = selected.includes(t);
                      const classes = ['event-option'];
                      if (t === activeType) classes.push('is-active');
                      if (on) classes.push('is-on');
                      return (
                        <div
                          key={t}
                          id={optionId(t)}
                          role="option"
                          aria-selected={on}
                          className={classes.join(' ')}
                          onMouseDown={(e) => e.preventDefault()}
                          onClick={() => toggle(t)}
                          data-testid={`${id}-option-${t}`}
                        >
                          <span className="event-check" aria-hidden="true">{on ? '✓' : ''}</span>
                          <span className="mono-soft">{t === '*' ? '* (every event)' : t}</span>
                        </div>
                      );
                    })}
                  </div>
                ))}
                {!view.typed && view.flat.length === 0 && <p className="muted small event-none">No Stripe event matches “{query}”. Event types look like invoice.paid.</p>}
              </div>
            )}
          </div>
        )}
      </div>
    </FieldShell>
  );
}
