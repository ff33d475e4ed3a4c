import { useEffect, useState } from 'react';
import { teamViews, type TeamView } from '../lib/teamViews';

interface Props {
  view: TeamView;
  recordType: string;
  q: string;
  includeTest: boolean;
  onChange: (patch: { view?: TeamView; recordType?: string; q?: string; includeTest?: boolean }) => void;
}

/** Team views (sales, finance, delivery), record type and a search, kept in the address so a view can be shared. */
export function BoardFilters({ view, recordType, q, includeTest, onChange }: Props) {
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);
  // Search as the user types, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() !== q) onChange({ q: search.trim() });
    }, 300);
    return () => clearTimeout(t);
  }, [search]);

  return (
    <div className="board-filters" data-testid="board-filters">
      <div className="segmented" role="tablist" aria-label="Team view">
        {teamViews.map((v) => (
          <button key={v.key} type="button" role="tab" aria-selected={view === v.key} className={view === v.key ? 'is-on' : undefined} title={v.hint} onClick={() => onChange({ view: v.key })} data-testid={`board-view-${v.key}`}>
            {v.label}
          </button>
        ))}
      </div>
      <select className="board-record-type" value={recordType} onChange={(e) => onChange({ recordType: e.target.value })} aria-label="Record type" data-testid="board-record-type">
        <option value="">Profit and nonprofit</option>
        <option value="profit">Profit only</option>
        <option value="nonprofit">Nonprofit only</option>
      </select>
      <input type="search" className="filter-search" placeholder="Search name, e-mail, product or customer id" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search deals" data-testid="board-search" />
      <label className="board-test-toggle small" title="Deals made by test runs of drafts are kept apart and hidden unless you ask for them">
        <input type="checkbox" checked={includeTest} onChange={(e) => onChange({ includeTest: e.target.checked })} data-testid="board-include-test" /> Test deals
      </label>
    </div>
  );
}
