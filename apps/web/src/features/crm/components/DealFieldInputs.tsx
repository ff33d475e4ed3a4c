import { useId } from 'react';
import { formatMoney } from '../../../lib/format';
import { CURRENCIES, type DealFormValues, type FormErrors } from '../lib/dealForm';
import { parseMajorAmount } from '../lib/money';
import { FormField } from './FormField';

interface Props {
  values: DealFormValues;
  errors: FormErrors<keyof DealFormValues>;
  onChange: (patch: Partial<DealFormValues>) => void;
}

/**
 * The deal's own fields, shared by the board's "New deal" form and the deal page's editor:
 * title, amount typed in major units (read back in the currency's format as you type),
 * currency, product, record type.
 */
export function DealFieldInputs({ values, errors, onChange }: Props) {
  const id = useId();
  const parsed = values.amount.trim() ? parseMajorAmount(values.amount, values.currency) : null;
  const currencies = CURRENCIES.includes(values.currency as (typeof CURRENCIES)[number]) || !values.currency ? CURRENCIES : [values.currency, ...CURRENCIES];
  return (
    <>
      <FormField label="Title" htmlFor={`${id}-title`} optional className="span-2">
        <input id={`${id}-title`} value={values.title} onChange={(e) => onChange({ title: e.target.value })} placeholder="e.g. Acme onboarding" maxLength={200} data-testid="deal-form-title" />
      </FormField>
      <div className="deal-form-amount span-2">
        <FormField
          label="Amount"
          htmlFor={`${id}-amount`}
          error={errors.amount}
          hint={parsed?.ok ? <span data-testid="deal-form-amount-preview">{formatMoney(parsed.minor, values.currency)}</span> : 'In dollars, euros… not cents'}
        >
          <input
            id={`${id}-amount`}
            inputMode="decimal"
            autoComplete="off"
            value={values.amount}
            onChange={(e) => onChange({ amount: e.target.value })}
            placeholder="1,200.00"
            aria-invalid={!!errors.amount}
            data-testid="deal-form-amount"
          />
        </FormField>
        <FormField label="Currency" htmlFor={`${id}-currency`} error={errors.currency}>
          <select id={`${id}-currency`} value={values.currency} onChange={(e) => onChange({ currency: e.target.value })} data-testid="deal-form-currency">
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
        </FormField>
      </div>
      <FormField label="Product" htmlFor={`${id}-product`} optional>
        <input id={`${id}-product`} value={values.product} onChange={(e) => onChange({ product: e.target.value })} placeholder="e.g. Onboarding package" maxLength={200} data-testid="deal-form-product" />
      </FormField>
      <FormField label="Record type" optional>
        <div className="segmented" role="radiogroup" aria-label="Record type" data-testid="deal-form-record-type">
          {(
            [
              ['', 'Not set'],
              ['profit', 'Profit'],
              ['nonprofit', 'Nonprofit'],
            ] as const
          ).map(([value, label]) => (
            <button
              key={value || 'none'}
              type="button"
              role="radio"
              aria-checked={values.recordType === value}
              className={values.recordType === value ? 'is-on' : undefined}
              onClick={() => onChange({ recordType: value })}
              data-testid={`deal-form-record-type-${value || 'none'}`}
            >
              {label}
            </button>
          ))}
        </div>
      </FormField>
    </>
  );
}
