import { useId, useState, type FormEvent } from 'react';
import type { CrmStage } from '../../../api/types';
import { Dialog } from '../../../components/Dialog';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { toast } from '../../../lib/toast';
import { DealFieldInputs } from '../../crm/components/DealFieldInputs';
import { FormField } from '../../crm/components/FormField';
import { newDealBody, type FormErrors, type NewDealValues } from '../../crm/lib/dealForm';
import { useCreateDeal } from '../hooks/useDeals';

interface Props {
  onClose: () => void;
  stages: readonly CrmStage[];
  defaultStage: string;
}

const blank = (stage: string): NewDealValues => ({ title: '', email: '', name: '', stage, amount: '', currency: 'usd', product: '', recordType: 'profit' });

/**
 * "New deal" on the board: the client, where the deal stands and what it is worth. Mounted
 * while open, so each new deal starts from a blank form in the view's first stage.
 */
export function NewDealDialog({ onClose, stages, defaultStage }: Props) {
  const id = useId();
  const [values, setValues] = useState<NewDealValues>(() => blank(defaultStage));
  const [errors, setErrors] = useState<FormErrors<keyof NewDealValues>>({});
  const create = useCreateDeal();

  const change = (patch: Partial<NewDealValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    // A fixed field stops complaining as soon as it is touched.
    setErrors((e) => {
      const next = { ...e };
      for (const k of Object.keys(patch) as Array<keyof NewDealValues>) delete next[k];
      return next;
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = newDealBody(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    create.mutate(checked.value, {
      onSuccess: (deal) => {
        toast(`Deal "${deal.title || deal.contact.email}" created`);
        onClose();
      },
    });
  };

  return (
    <Dialog
      open
      title="New deal"
      onClose={onClose}
      testId="new-deal-dialog"
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={`${id}-form`} className="btn btn-primary" disabled={create.isPending} data-testid="new-deal-submit">
            {create.isPending ? 'Creating…' : 'Create deal'}
          </button>
        </>
      }
    >
      <form id={`${id}-form`} className="deal-form" onSubmit={submit} noValidate data-testid="new-deal-form">
        <FormField label="Client e-mail" htmlFor={`${id}-email`} error={errors.email}>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="off"
            value={values.email}
            onChange={(e) => change({ email: e.target.value })}
            placeholder="ada@acme.com"
            aria-invalid={!!errors.email}
            data-testid="deal-form-email"
            autoFocus
          />
        </FormField>
        <FormField label="Client name" htmlFor={`${id}-name`} optional>
          <input id={`${id}-name`} autoComplete="off" value={values.name} onChange={(e) => change({ name: e.target.value })} placeholder="Ada Lovelace" data-testid="deal-form-name" />
        </FormField>
        <FormField label="Stage" htmlFor={`${id}-stage`} error={errors.stage} className="span-2">
          <select id={`${id}-stage`} value={values.stage} onChange={(e) => change({ stage: e.target.value })} data-testid="deal-form-stage">
            {stages.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </FormField>
        <DealFieldInputs values={values} errors={errors} onChange={change} />
        {create.isError && (
          <div className="span-2">
            <ErrorBanner title="The deal was not created." error={create.error} />
          </div>
        )}
      </form>
    </Dialog>
  );
}
