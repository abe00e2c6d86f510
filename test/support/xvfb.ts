// A virtual X display for the one scenario that needs a headed browser (a visible tab behaves unlike a headless one).
import { type ChildProcess, spawn } from 'node:child_process';
import { access } from 'node:fs/promises';

export interface VirtualDisplay {
  /** The DISPLAY value, e.g. ":94". */
  display: string;
  close(): Promise<void>;
}

const BINARY = '/usr/bin/Xvfb';
const exists = (p: string) => access(p).then(() => true, () => false);

/** Starts Xvfb on the first free display from :90; fails with the install hint when it is missing. */
export async function startXvfb(): Promise<VirtualDisplay> {
  if (!(await exists(BINARY))) throw new Error('Xvfb is not installed: run apt-get install -y xvfb');
  for (let n = 90; n < 110; n++) {
    const socket = `/tmp/.X11-unix/X${n}`;
    if ((await exists(socket)) || (await exists(`/tmp/.X${n}-lock`))) continue;
    const proc: ChildProcess = spawn(BINARY, [`:${n}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && proc.exitCode === null && !(await exists(socket))) await new Promise((r) => setTimeout(r, 50));
    if (await exists(socket)) {
      return {
        display: `:${n}`,
        async close() {
          proc.kill();
          await exited;
        },
      };
    }
    proc.kill();
    await exited;
  }
  throw new Error('Xvfb could not start on any display from :90 to :109');
}
