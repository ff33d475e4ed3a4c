import { useId } from 'react';
import type { CrmStage, Deal } from '../../../api/types';
import { useMoveDeal } from '../../crm/hooks/useMoveDeal';

/** Where the deal stands; editors move it from here as well as on the board (the keyboard way). */
export function DealStageSelect({ deal, stages, canMove }: { deal: Deal; stages: readonly CrmStage[]; canMove: boolean }) {
  const id = useId();
  const move = useMoveDeal();
  const known = stages.some((s) => s.key === deal.stage);
  return (
    <div className="deal-stage">
      <label htmlFor={id} className="field-label">
        Stage
      </label>
      <select
        id={id}
        value={deal.stage}
        disabled={!canMove || move.isPending}
        onChange={(e) => move.mutate({ id: deal.id, stage: e.target.value })}
        data-testid="deal-stage"
      >
        {stages.map((s) => (
          <option key={s.key} value={s.key}>
            {s.label}
          </option>
        ))}
        {!known && <option value={deal.stage}>{deal.stage}</option>}
      </select>
    </div>
  );
}
