import { useMemo, useState } from 'react';
import { z } from 'zod';
import { ApiError, errorMessage } from '../../../../api/client';
import { useCreateCredential } from '../../hooks/useCredentials';
import { credentialTypeInfo } from '../../lib/credentialTypes';
import { defaultsFor, formFields, type JsonSchema } from '../../lib/schemaFields';
import { FieldDataContext } from './data/FieldDataContext';
import { FieldList } from './FieldList';

interface Props {
  /** Types the field accepts; the user picks one unless `type` is decided. */
  accepted: readonly string[];
  type: string | undefined;
  onCreated: (id: string) => void;
  onCancel: () => void;
}

/** Stores a new credential. The secret goes to the API once and is never shown again. */
export function AddCredentialForm({ accepted, type: fixedType, onCreated, onCancel }: Props) {
  const create = useCreateCredential();
  const [pickedType, setPickedType] = useState(accepted[0]);
  const type = fixedType ?? pickedType;
  const info = credentialTypeInfo(type);
  const schema = useMemo(() => z.toJSONSchema(info.secret, { io: 'input' }) as JsonSchema, [info]);
  const isText = schema.type === 'string';
  const fields = useMemo(() => (isText ? [] : formFields(schema)), [schema, isText]);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [obj, setObj] = useState<Record<string, unknown>>(() => (isText ? {} : defaultsFor(schema)));
  const problems = create.error instanceof ApiError ? create.error.problems : [];

  const switchType = (t: string) => {
    setPickedType(t);
    const s = z.toJSONSchema(credentialTypeInfo(t).secret, { io: 'input' }) as JsonSchema;
    setObj(s.type === 'string' ? {} : defaultsFor(s));
    create.reset();
  };

  const save = () =>
    create.mutate({ type, name: name.trim(), secret: isText ? text : obj }, {
      onSuccess: (c) => onCreated(c.id),
    });

  return (
    <div className="subform" data-testid="credential-form">
      {!fixedType && accepted.length > 1 && (
        <label className="field">
          <span className="field-label">Type</span>
          <select value={type} onChange={(e) => switchType(e.target.value)} data-testid="credential-type">
            {accepted.map((t) => (
              <option key={t} value={t}>
                {credentialTypeInfo(t).label}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span className="field-label">Name</span>
        <input value={name} placeholder={`e.g. ${info.label}, live`} onChange={(e) => setName(e.target.value)} data-testid="credential-name" />
      </label>
      {isText ? (
        <label className="field">
          <span className="field-label">Secret</span>
          <input
            type="password"
            autoComplete="new-password"
            value={text}
            placeholder={info.secretHint}
            onChange={(e) => setText(e.target.value)}
            data-testid="credential-secret"
          />
        </label>
      ) : (
        // A secret is stored as typed, never rendered: its fields read no run data.
        <FieldDataContext.Provider value={null}>
          <FieldList fields={fields} value={obj} onChange={(v) => setObj(v)} path="secret" problems={problems} readOnly={false} />
        </FieldDataContext.Provider>
      )}
      <span className="field-hint">Stored encrypted. It can’t be viewed again, only replaced.</span>
      {create.isError && <span className="field-error">{errorMessage(create.error)}</span>}
      <div className="row row-end">
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary btn-small"
          disabled={!name.trim() || (isText && !text) || create.isPending}
          onClick={save}
          data-testid="credential-save"
        >
          {create.isPending ? 'Saving…' : 'Save credential'}
        </button>
      </div>
    </div>
  );
}
