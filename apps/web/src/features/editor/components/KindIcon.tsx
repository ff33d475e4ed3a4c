const PATHS: Record<string, string> = {
  trigger: 'M9 1.5 3.5 9H8l-1 5.5L12.5 7H8z',
  logic: 'M4 2.5v11M4 8h3.5L12 3.5M7.5 8 12 12.5',
  crm: 'M8 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM3 13.5c.5-2.5 2.5-3.7 5-3.7s4.5 1.2 5 3.7',
  notify: 'M2.5 4h11v8h-11zM2.5 4.5 8 9l5.5-4.5',
  intake: 'M4 2h8v12H4zM6 5.5h4M6 8h4M6 10.5h2.5',
  human: 'M8 1.8 13 4v4c0 3.2-2.2 5.2-5 6.2-2.8-1-5-3-5-6.2V4zM5.8 8l1.6 1.6 2.9-3',
  payment: 'M1.5 4h13v8.5h-13zM1.5 7h13M4 10.5h3',
  action: 'M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5zM8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4',
};

/** Slack's pinwheel in its four colours, so a Slack step reads as Slack at a glance. */
function SlackMark() {
  return (
    <span className="kind-icon kind-icon-slack" aria-hidden="true" data-icon="slack">
      <svg viewBox="0 0 16 16" width="14" height="14" fill="none" strokeWidth="2.4" strokeLinecap="round">
        <path d="M6 2.5v6" stroke="#36C5F0" />
        <path d="M13.5 6h-6" stroke="#2EB67D" />
        <path d="M10 13.5v-6" stroke="#ECB22E" />
        <path d="M2.5 10h6" stroke="#E01E5A" />
      </svg>
    </span>
  );
}

/**
 * A small tinted square with a line icon per node kind; the tint comes from the `kind-icon-*`
 * class. `icon` names a provider mark that replaces it (see `iconOfNode`).
 */
export function KindIcon({ kind, icon }: { kind?: string; icon?: string | null }) {
  if (icon === 'slack') return <SlackMark />;
  return (
    <span className={`kind-icon kind-icon-${kind ?? 'unknown'}`} aria-hidden="true">
      <svg viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
        <path d={PATHS[kind ?? ''] ?? 'M8 3v6M8 12v.5'} />
      </svg>
    </span>
  );
}
