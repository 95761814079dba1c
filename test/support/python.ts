import { commandSucceeds } from './peers.js';

/** Debian's python3 (not a pyenv one), which is where `python3-grpcio` installs. */
export const PYTHON = '/usr/bin/python3';

/** True when `/usr/bin/python3` can import the given modules. */
export function pythonHas(...modules: string[]): boolean {
  return commandSucceeds(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')]);
}
