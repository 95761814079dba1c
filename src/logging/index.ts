export { createLogger, LOG_LEVELS, type Logger, type LoggerOptions, silentLogger } from './logger.js';
