import type { ComponentType } from 'react';
import type { FieldSpec } from '../../lib/schemaFields';
import { errorsAt } from '../../lib/problemPaths';
import type { Problem } from '../../store/types';
import { BooleanField } from './BooleanField';
import { CredentialField } from './CredentialField';
import { EventTypesField } from './EventTypesField';
import { JsonField } from './JsonField';
import { KeyValueField } from './KeyValueField';
import { MultiEnumField } from './MultiEnumField';
import { NumberField } from './NumberField';
import { ObjectField } from './ObjectField';
import { ObjectListField } from './ObjectListField';
import { SelectField } from './SelectField';
import { StringListField } from './StringListField';
import { TextField } from './TextField';
import type { FieldProps } from './types';
import { VariantField } from './VariantField';

const COMPONENTS: { [K in FieldSpec['kind']]: ComponentType<FieldProps<K>> } = {
  string: TextField,
  number: NumberField,
  boolean: BooleanField,
  enum: SelectField,
  multiEnum: MultiEnumField,
  stringList: StringListField,
  eventTypes: EventTypesField,
  credential: CredentialField,
  object: ObjectField,
  objectList: ObjectListField,
  keyValue: KeyValueField,
  variant: VariantField,
  json: JsonField,
};

/** Fields that draw their own children place nested problems themselves. */
const OWNS_CHILDREN = new Set<FieldSpec['kind']>(['object', 'variant']);

export interface RendererProps {
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown, coalesce?: boolean) => void;
  path: string;
  parent: Record<string, unknown>;
  problems: readonly Problem[];
  readOnly: boolean;
}

export function FieldRenderer({ field, problems, ...rest }: RendererProps) {
  const Component = COMPONENTS[field.kind] as ComponentType<FieldProps>;
  const errors = errorsAt(problems, rest.path, !OWNS_CHILDREN.has(field.kind));
  return <Component field={field} errors={errors} problems={problems} {...rest} />;
}
