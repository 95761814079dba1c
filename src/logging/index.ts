export { createLogger, type LogFn, type Logger, type LoggerOptions, silentLogger } from './logger.js';
