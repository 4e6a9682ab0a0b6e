// A busy port is a one-line error naming the port and the setting that moves it.
import { createServer } from 'node:net';

export class PortBusyError extends Error {
  override name = 'PortBusyError';
}

export async function assertPortFree(port: number, host: string, setting: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new PortBusyError(
              `port ${port} on ${host} is already in use; set ${setting} to another port (or 0 for any free port)`,
            )
          : err,
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
