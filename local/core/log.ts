// The local host's console output: one line per event, function logs tagged with the function
// name, quiet mode for tests (only warnings and errors).
import { format } from 'node:util';

export type Level = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
const rank: Record<Level, number> = { trace: 0, debug: 1, information: 2, warning: 3, error: 4, critical: 5, none: 6 };

export class Logger {
  constructor(private readonly minimum: Level = 'information') {}

  private enabled(level: Level): boolean {
    return rank[level] >= rank[this.minimum] && level !== 'none';
  }

  host(level: Level, message: string, ...args: unknown[]): void {
    if (!this.enabled(level)) return;
    const line = `[${new Date().toISOString()}] ${format(message, ...args)}`;
    if (rank[level] >= rank.warning) process.stderr.write(line + '\n');
    else process.stdout.write(line + '\n');
  }

  info(message: string, ...args: unknown[]): void {
    this.host('information', message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.host('warning', message, ...args);
  }
  error(message: string, ...args: unknown[]): void {
    this.host('error', message, ...args);
  }

  fromFunction(functionName: string, invocationId: string, level: string, args: unknown[]): void {
    const l = (level in rank ? level : 'information') as Level;
    this.host(l, `${functionName} (${invocationId}): ${format(...args)}`);
  }
}
