import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Spinner } from '../../../components/Spinner';
import { ApiError } from '../../../api/client';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { useFlow } from '../../flows/hooks/useFlow';
import { editorStore } from '../store/useEditorStore';
import { EditorWorkspace } from './EditorWorkspace';

/** `/flows/:id`: loads the flow's draft into the editor store, then shows the workspace. */
export function EditorPage() {
  const { id = '' } = useParams();
  const flow = useFlow(id);
  const me = useMe();
  const [loaded, setLoaded] = useState<string | null>(null);
  const editable = canEdit(me.data);

  useEffect(() => {
    if (flow.data && loaded !== flow.data.id) {
      editorStore.getState().load(flow.data.draft as Parameters<ReturnType<typeof editorStore.getState>['load']>[0], {
        flowId: flow.data.id,
        readOnly: !editable,
      });
      setLoaded(flow.data.id);
    }
  }, [flow.data, loaded, editable]);

  if (flow.isPending) return <div className="center-screen"><Spinner label="Opening flow…" /></div>;
  if (flow.isError) {
    const notFound = flow.error instanceof ApiError && flow.error.status === 404;
    return (
      <main className="page">
        <ErrorBanner title={notFound ? 'This flow does not exist (any more).' : 'Could not open this flow.'} error={flow.error} onRetry={notFound ? undefined : () => flow.refetch()} />
        <p>
          <Link to="/flows">Back to flows</Link>
        </p>
      </main>
    );
  }
  if (loaded !== flow.data.id) return <div className="center-screen"><Spinner label="Opening flow…" /></div>;

  return (
    <ReactFlowProvider key={flow.data.id}>
      <EditorWorkspace flow={flow.data} />
    </ReactFlowProvider>
  );
}
