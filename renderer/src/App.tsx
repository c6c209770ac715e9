import { Editor } from './editor/Editor.tsx';
import { useHealth } from './useHealth.ts';

export function App() {
  const health = useHealth();
  return (
    <div className="app">
      <header className="topbar" role="banner">
        <span className="brand">Longhand</span>
        <span className="spacer" />
        <span role="status" aria-label="Engine status" className={`status status-${health.state}`}>
          {health.detail}
        </span>
      </header>
      <aside className="panel panel-left" aria-label="Plan">
        <h2>Plan</h2>
        <p className="muted">Premise, characters and outline appear here.</p>
      </aside>
      <main className="document" aria-label="Document area">
        <Editor />
      </main>
      <aside className="panel panel-right" aria-label="Candidates and consistency">
        <h2>Candidates</h2>
        <p className="muted">Candidates for the passage under the cursor appear here.</p>
      </aside>
    </div>
  );
}
