import { useState } from 'react';
import { Link } from 'react-router';
import type { CrmStage, Deal } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { formatMoney, formatRelative } from '../../../lib/format';
import { recordTypeLabel } from '../lib/dealStripe';
import { DEAL_DRAG_TYPE } from '../lib/dragDeal';
import { DealInvoice } from './DealInvoice';

interface Props {
  deal: Deal;
  stages: readonly CrmStage[];
  /** Editors move cards: by dragging them to a column, or with the stage select (keyboard). */
  canMove: boolean;
  onMove: (stage: string) => void;
}

export function DealCard({ deal, stages, canMove, onMove }: Props) {
  const [dragging, setDragging] = useState(false);
  const who = deal.contact.name || deal.contact.email || 'Unknown client';
  const name = deal.title || who;
  // With a title the card leads with the deal; the client moves to the line below.
  const sub = deal.title ? [deal.contact.name, deal.contact.email].filter(Boolean).join(' · ') : deal.contact.name && deal.contact.email;
  const recordType = recordTypeLabel(deal.recordType);
  return (
    <article
      className={dragging ? 'deal is-dragging' : 'deal'}
      draggable={canMove}
      onDragStart={(e) => {
        e.dataTransfer.setData(DEAL_DRAG_TYPE, deal.id);
        e.dataTransfer.setData('text/plain', name);
        e.dataTransfer.effectAllowed = 'move';
        setDragging(true);
      }}
      onDragEnd={() => setDragging(false)}
      data-testid={`deal-${deal.id}`}
      data-stage={deal.stage}
    >
      <div className="deal-head">
        <Link to={`/deals/${deal.id}`} className="deal-title" draggable={false} data-testid="deal-link">
          {name}
        </Link>
        <span className="deal-amount">{formatMoney(deal.amount, deal.currency)}</span>
      </div>
      {sub && (
        <div className="muted small deal-line" title={sub}>
          {sub}
        </div>
      )}
      {(deal.product || recordType || deal.test) && (
        <div className="deal-meta small">
          {deal.product && <span className="deal-line">{deal.product}</span>}
          {recordType && (
            <span className="deal-tag" data-testid="deal-record-type">
              {recordType}
            </span>
          )}
          {deal.test && (
            <span className="deal-tag" title="Made by a test run of a draft" data-testid="deal-test">
              Test
            </span>
          )}
        </div>
      )}
      <DealInvoice stripe={deal.stripe} />
      <div className="deal-foot">
        {deal.intake ? <Badge status={deal.intake.status} label={`Intake ${deal.intake.status}`} /> : <span className="muted small">no intake</span>}
        <span className="muted small">{formatRelative(deal.updatedAt)}</span>
      </div>
      {(canMove || deal.runId) && (
        <div className="deal-actions">
          {canMove && (
            <select className="deal-move" value={deal.stage} onChange={(e) => onMove(e.target.value)} aria-label={`Stage of ${name}`} title="Move to another stage" data-testid="deal-stage-select">
              {stages.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
              {!stages.some((s) => s.key === deal.stage) && <option value={deal.stage}>{deal.stage}</option>}
            </select>
          )}
          {deal.runId && (
            <Link className="small" to={`/runs/${deal.runId}`} draggable={false}>
              View run
            </Link>
          )}
        </div>
      )}
    </article>
  );
}
