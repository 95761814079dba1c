export { createLogger, LOG_LEVELS, type Logger, type LoggerOptions, levelEnabled, silentLogger } from './logger.js';
