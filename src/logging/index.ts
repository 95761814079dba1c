export { createLogger, LOG_LEVELS, type LogFn, type Logger, type LoggerOptions, silentLogger } from './logger.js';
