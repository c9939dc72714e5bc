import { HealthPanel } from '../components/HealthPanel';
import { useDocumentTitle } from '../lib/use-document-title';

export function StatusPage() {
  useDocumentTitle('Server status');
  return (
    <div className="page narrow">
      <h1>Server status</h1>
      <HealthPanel />
    </div>
  );
}
