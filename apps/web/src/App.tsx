import { HealthPanel } from './components/HealthPanel';
import { SimulatedNotice } from './components/SimulatedNotice';

export function App() {
  return (
    <>
      <header className="topbar">
        <h1>Sora Monitor</h1>
      </header>
      <SimulatedNotice />
      <main className="content">
        <HealthPanel />
      </main>
    </>
  );
}
