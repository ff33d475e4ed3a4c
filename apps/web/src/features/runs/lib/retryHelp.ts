/**
 * What the two retries do, as RunsService.retry and the run store implement them; shown
 * beside the buttons so nobody has to guess what "latest version" changes.
 */
export const RETRY_HELP =
  'Retry runs each failed step again (attempts start over) on the version the run started on. Steps that finished are not run again and keep their results.';

export const RETRY_LATEST_HELP =
  'Retry on latest version first moves the run to the flow’s latest published version: each failed step must still exist there with the same id and type, ' +
  'and runs with its new settings; the steps after it follow the new version. Steps that already finished are not re-run, even if the new version changed them. ' +
  'Test runs cannot be moved: start a new test run instead.';
