import { FieldList } from './FieldList';
import { asRecord, testIdFor, type FieldProps } from './types';

/** A discriminated union: pick the variant (e.g. Slack or email), then fill in its fields. */
export function VariantField({ field, value, onChange, path, errors, problems, readOnly }: FieldProps<'variant'>) {
  const obj = asRecord(value);
  const current = field.variants.find((v) => v.value === obj[field.discriminator]);
  const id = testIdFor(path ? path : field.discriminator);

  const switchTo = (next: string) => {
    const variant = field.variants.find((v) => v.value === next);
    if (!variant) return;
    const keep = new Set(variant.fields.map((f) => f.key));
    const kept = Object.fromEntries(Object.entries(obj).filter(([k]) => keep.has(k)));
    onChange({ [field.discriminator]: next, ...kept });
  };

  return (
    <div className="variant">
      <div className="field">
        <span className="field-label">{field.label}</span>
        <div className="segmented" role="radiogroup" aria-label={field.label} data-testid={id}>
          {field.variants.map((v) => (
            <button
              type="button"
              key={v.value}
              role="radio"
              aria-checked={current?.value === v.value}
              className={current?.value === v.value ? 'is-on' : undefined}
              disabled={readOnly}
              onClick={() => switchTo(v.value)}
              data-testid={`${id}-${v.value}`}
            >
              {v.label}
            </button>
          ))}
        </div>
        {errors.map((e, i) => (
          <span key={i} className="field-error" role="alert">
            {e}
          </span>
        ))}
      </div>
      {current && (
        <FieldList
          fields={current.fields}
          value={obj}
          path={path}
          problems={problems}
          readOnly={readOnly}
          onChange={(v, coalesceKey) => onChange({ ...v, [field.discriminator]: current.value }, !!coalesceKey)}
        />
      )}
    </div>
  );
}
