import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty' | 'auto';

export interface LoggingOptions {
  appName: string;
  level: string;
  /** `auto`: readable lines on a terminal, JSON (one object a line) for log collectors. */
  format: LogFormat;
}

/** Secrets never reach a log line, whatever logs the request. */
const REDACTED = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'];

export function createLogger(options: LoggingOptions): Logger {
  const readable = options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY);
  const settings = { name: options.appName, level: options.level, redact: REDACTED };
  return readable
    ? pino(
        settings,
        pretty({
          colorize: process.stdout.isTTY,
          translateTime: 'HH:MM:ss',
          ignore: 'pid,hostname,name',
          singleLine: true,
        }),
      )
    : pino(settings);
}

/**
 * Nest announces every module, route and controller at start; that is for developers chasing a
 * wiring problem (debug), not for the person starting the exchange (one line an app).
 */
const BOOTSTRAP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** Nest's logger interface over pino, so framework and application logs share one stream and format. */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, context?: string): void {
    if (context && BOOTSTRAP_CONTEXTS.has(context)) this.write('debug', message, context);
    else this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, context, trace);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
    message: unknown,
    context?: string,
    trace?: string,
  ) {
    if (message instanceof Error) this.pino[level]({ context, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ context, ...message });
    else this.pino[level]({ context, ...(trace ? { trace } : {}) }, String(message));
  }
}

/** One log line a request (method, path, status, time, participant); no bodies, no keys. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    customProps: (request) => ({
      participant: (request as { principal?: { participantId: string } }).principal?.participantId,
    }),
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  });
}
