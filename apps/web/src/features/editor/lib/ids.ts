/**
 * Short readable node ids derived from the type: `stripe.trigger` → `stripe_1`,
 * `crm.updateDeal` → `crm_2`, `branch` → `branch_1`. Ids appear in expressions
 * (`steps.crm_1.dealId`), so they stay lower-case identifiers.
 */
export function idBase(type: string): string {
  const first = type.split('.')[0] ?? '';
  const base = first
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!base) return 'node';
  return /^[a-z]/.test(base) ? base : `n_${base}`;
}

/** The next `<base>_<n>` after the highest n already used for that base (so a deleted id is not reused at once). */
export function nextNodeId(type: string, existing: Iterable<string>): string {
  const base = idBase(type);
  const taken = new Set(existing);
  const re = new RegExp(`^${base}_(\\d+)$`);
  let max = 0;
  for (const id of taken) {
    const m = re.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  let n = max + 1;
  while (taken.has(`${base}_${n}`)) n++;
  return `${base}_${n}`;
}

export function nextEdgeId(existing: Iterable<string>): string {
  const taken = new Set(existing);
  let max = 0;
  for (const id of taken) {
    const m = /^e(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  let n = max + 1;
  while (taken.has(`e${n}`)) n++;
  return `e${n}`;
}
