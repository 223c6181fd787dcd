/** Where state changes are logged: `console` fits, so do pino and winston loggers. */
export interface Logger {
  warn(message: string): void;
  info(message: string): void;
}
