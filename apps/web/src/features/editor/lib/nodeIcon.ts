/** A provider mark for a step whose config names one (a notify step on Slack), else null for the kind's icon. */
export function iconOfNode(nodeType: string, config: Record<string, unknown> | undefined): string | null {
  if (nodeType === 'notify' && config?.channel === 'slack') return 'slack';
  return null;
}
