/** What GET /api/flows/:id says about the saved draft's trigger route. */
export interface SavedHook {
  /** `/hooks/<hook>/<flow id>` of the saved draft's trigger, or null when it has no route. */
  webhookPath: string | null;
  /** The same route on HANDOFF_PUBLIC_URL, or null when the server has no public URL set. */
  webhookUrl: string | null;
  /** Whether anything fires now: never published, published and active, or paused. */
  live: 'unpublished' | 'active' | 'paused';
}

/**
 * The address a trigger with `trigger.hook` receives its deliveries at. The server's public
 * URL wins over the page's origin: the address you browse at may not be the one a sender can
 * reach. The API describes the saved draft only, so when the trigger on the canvas is not the
 * saved one (swapped, not saved yet) its route is put on the same public base.
 */
export function webhookUrlOf(hookPath: string, flowId: string, saved: Pick<SavedHook, 'webhookPath' | 'webhookUrl'>, origin: string): string {
  const path = `/hooks/${hookPath}/${flowId}`;
  const { webhookPath, webhookUrl } = saved;
  if (webhookUrl && webhookPath === path) return webhookUrl;
  if (webhookUrl && webhookPath && webhookUrl.endsWith(webhookPath)) return webhookUrl.slice(0, -webhookPath.length) + path;
  return origin + path;
}
