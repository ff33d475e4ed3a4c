import { Init1763800000000 } from './1763800000000-init';
import { Engine1763900000000 } from './1763900000000-engine';

// Listed explicitly so the bundled app carries its migrations; order is by timestamp.
export const migrations = [Init1763800000000, Engine1763900000000];
