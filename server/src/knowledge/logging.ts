/**
 * How code writes to its log, by the names the languages' loggers and teams use: a value passed
 * there is only shown, so an unset variable prints as `None` / `undefined` and breaks nothing.
 */

/** Methods of a logger (`logger.info`, `logging.warning`, `console.error`, NestJS's `verbose`). */
const LOG_METHODS = /^(?:debug|info|warning|warn|error|exception|critical|fatal|log|msg|trace|verbose)$/;

/** `receiver.method(...)` writes to a log: a log method of an object named as one (`logger`,
 * `self.log`, `this.dbLogger`, `logging`, `console`). */
export function isLogCall(receiver: string, method: string): boolean {
  return LOG_METHODS.test(method) && (receiver === 'console' || /log/i.test(receiver));
}
