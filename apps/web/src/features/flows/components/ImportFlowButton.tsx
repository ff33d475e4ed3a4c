import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../../components/Dialog';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { useImportFlow } from '../hooks/useFlows';

/** Picks a `.json` flow document and posts it to /api/flows/import, then opens it. */
export function ImportFlowButton() {
  const input = useRef<HTMLInputElement>(null);
  const importFlow = useImportFlow();
  const navigate = useNavigate();
  const [parseError, setParseError] = useState<string | null>(null);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setParseError(null);
    importFlow.reset();
    let doc: unknown;
    try {
      doc = JSON.parse(await file.text());
    } catch {
      setParseError(`${file.name} is not valid JSON.`);
      return;
    }
    importFlow.mutate(doc, { onSuccess: (flow) => navigate(`/flows/${flow.id}`) });
  };

  const failed = parseError !== null || importFlow.isError;
  const close = () => {
    setParseError(null);
    importFlow.reset();
  };

  return (
    <>
      <button type="button" className="btn" onClick={() => input.current?.click()} disabled={importFlow.isPending} data-testid="import-flow">
        {importFlow.isPending ? 'Importing…' : 'Import JSON'}
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="import-flow-file"
        onChange={(e) => {
          void onFile(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <Dialog open={failed} title="Import failed" onClose={close} footer={<button type="button" className="btn" onClick={close}>Close</button>}>
        {parseError ? <ErrorBanner error={new Error(parseError)} /> : <ErrorBanner error={importFlow.error} />}
      </Dialog>
    </>
  );
}
