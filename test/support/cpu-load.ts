// Busy processes beside a test: the machine is loaded as a user's often is (the breaker must not depend on speed).
import { type ChildProcess, spawn } from 'node:child_process';

export interface CpuLoad {
  stop(): Promise<void>;
}

/** Starts `n` processes that spin forever (default: two, one per core of the CI machine); stop() ends them. */
export function startCpuLoad(n = 2): CpuLoad {
  const children: ChildProcess[] = Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  return {
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
