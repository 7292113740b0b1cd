import pino, { type DestinationStream, type Logger } from 'pino';

/** Everything that can carry a secret; pino replaces the value before the line is written. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'token',
  'password',
  'secret',
  'clientSecret',
  'apiKey',
  'adminApiKey',
  '*.token',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.apiKey',
  '*.adminApiKey',
];

/** The server's logger: JSON lines on stderr (stdout belongs to the ready line), secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination ?? pino.destination({ dest: 2, sync: false }));
}
