import { useState, type FormEvent } from 'react';
import type { Deal } from '../../../api/types';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { toast } from '../../../lib/toast';
import { DealFieldInputs } from '../../crm/components/DealFieldInputs';
import { dealPatch, formFromDeal, type DealFormValues, type FormErrors } from '../../crm/lib/dealForm';
import { useUpdateDeal } from '../hooks/useDeal';

/** Edits the deal's own fields; only what changed is sent (`PATCH /api/crm/deals/:id`). */
export function DealEditForm({ deal, onDone }: { deal: Deal; onDone: () => void }) {
  const [values, setValues] = useState<DealFormValues>(() => formFromDeal(deal));
  const [errors, setErrors] = useState<FormErrors<keyof DealFormValues>>({});
  const update = useUpdateDeal(deal.id);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = dealPatch(deal, values);
    if (!checked.ok) return setErrors(checked.errors);
    if (Object.keys(checked.value).length === 0) return onDone();
    update.mutate(checked.value, {
      onSuccess: () => {
        toast('Deal saved');
        onDone();
      },
    });
  };

  return (
    <form className="deal-form deal-form-compact" onSubmit={submit} noValidate data-testid="deal-edit-form">
      <DealFieldInputs
        values={values}
        errors={errors}
        onChange={(patch) => {
          setValues((v) => ({ ...v, ...patch }));
          setErrors({});
        }}
      />
      {update.isError && (
        <div className="span-2">
          <ErrorBanner title="The deal was not saved." error={update.error} />
        </div>
      )}
      <div className="span-2 row row-end">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={update.isPending} data-testid="deal-edit-save">
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
