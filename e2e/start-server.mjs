// Starts the built app on a fresh embedded database for the e2e run.
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

rmSync(process.env.HANDOFF_DATA_DIR, { recursive: true, force: true });
const child = spawn(process.execPath, ['dist/api/main.js'], { stdio: 'inherit', env: process.env });
const stop = () => child.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code) => process.exit(code ?? 0));
