import { createContext, useContext } from 'react';

/** Which node's form this is: string fields use it to offer that node's data (picker, completions, preview, warnings). */
export interface FieldData {
  nodeId: string;
  flowId: string;
}

export const FieldDataContext = createContext<FieldData | null>(null);

export const useFieldData = () => useContext(FieldDataContext);
