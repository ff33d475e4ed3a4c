import { useState } from 'react';
import { errorMessage } from '../../../../api/client';
import { useCredentials } from '../../hooks/useCredentials';
import { CREDENTIAL_TYPES, credentialTypeInfo, wantedCredentialType } from '../../lib/credentialTypes';
import { AddCredentialForm } from './AddCredentialForm';
import { FieldShell } from './FieldShell';
import { asRecord, testIdFor, type FieldProps } from './types';

/** A `{ credential }` reference: pick a stored credential of an accepted type, or add one. */
export function CredentialField({ field, value, onChange, path, parent, errors, readOnly }: FieldProps<'credential'>) {
  const id = testIdFor(path);
  const credentials = useCredentials();
  const [adding, setAdding] = useState(false);
  const type = wantedCredentialType(field.credentialTypes, parent);
  const accepted = field.credentialTypes ?? CREDENTIAL_TYPES.map((c) => c.type);
  const current = asRecord(value).credential;
  const all = credentials.data?.items ?? [];
  const options = all.filter((c) => (type ? c.type === type : accepted.includes(c.type)));
  const missing = typeof current === 'string' && current !== '' && !all.some((c) => c.id === current);

  return (
    <FieldShell field={field} htmlFor={id} errors={errors}>
      <div className="row">
        <select
          id={id}
          data-testid={id}
          disabled={readOnly || credentials.isPending}
          value={typeof current === 'string' ? current : ''}
          onChange={(e) => onChange(e.target.value ? { credential: e.target.value } : undefined)}
        >
          <option value="">
            {credentials.isPending ? 'Loading…' : options.length ? 'Choose a credential…' : `No saved ${type ? credentialTypeInfo(type).label : 'credentials'}`}
          </option>
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          {missing && <option value={current}>Unknown credential ({current})</option>}
        </select>
        {!readOnly && !adding && (
          <button type="button" className="btn btn-small" onClick={() => setAdding(true)} data-testid={`${id}-add`}>
            Add
          </button>
        )}
      </div>
      {credentials.isError && <span className="field-error">Could not load credentials: {errorMessage(credentials.error)}</span>}
      {adding && (
        <AddCredentialForm
          key={type ?? 'any'}
          accepted={accepted}
          type={type}
          onCancel={() => setAdding(false)}
          onCreated={(credentialId) => {
            onChange({ credential: credentialId });
            setAdding(false);
          }}
        />
      )}
    </FieldShell>
  );
}
