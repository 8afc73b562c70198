/**
 * Composition root for OCI Functions. It alone reads the function's
 * configuration, builds the real OCI clients (lazily) and hands the handler
 * to the FDK. The body arrives as a Buffer so that it is decoded as a whole.
 */
import * as fdk from '@fnproject/fdk';
import { format } from 'node:util';
import { loadConfig, type TaggerConfig } from './config';
import { describeError } from './errors';
import { createHandler, type InvocationHandler } from './handler';
import { createJsonLogger } from './log';
import { lazyOci } from './runtime';

const writeLine = (line: string) => process.stderr.write(`${line}\n`);
// At `info` until the configuration is read; then at its log_level.
let logger = createJsonLogger(writeLine, 'info');

// The SDK and the FDK write free-text warnings with console.warn (the SDK on every failed call);
// they become debug lines, so the log stream stays one JSON object per line.
console.warn = (...args: unknown[]) => logger.log('debug', 'library warning', { detail: format(...args).slice(0, 2000) });

// A stray rejection or exception must never take the function down between calls.
process.on('unhandledRejection', (reason) => logger.log('error', 'unhandled rejection', { error: describeError(reason) }));
process.on('uncaughtException', (error) => logger.log('error', 'uncaught exception', { error: describeError(error) }));

let handler: InvocationHandler;
try {
  const config: TaggerConfig = loadConfig(process.env);
  logger = createJsonLogger(writeLine, config.logLevel);
  handler = createHandler({
    config,
    logger,
    createPorts: lazyOci({ config }).createPorts,
  });
  logger.log('info', 'function ready', {
    tagNamespace: config.tagNamespace,
    tagName: config.tagName,
    clusterTagName: config.clusterTagName,
    dryRun: config.dryRun,
    auth: config.auth,
  });
} catch (error) {
  // A bad configuration fails every call with a message naming the key, instead of a crash loop.
  logger.log('error', 'invalid configuration', { error: describeError(error) });
  handler = () => Promise.reject(error);
}

fdk.handle(
  async (body, ctx) => handler({ body, headers: ctx.headers, callId: ctx.callID ?? undefined, deadline: ctx.getHeader('Fn-Deadline') }),
  { inputMode: 'buffer' },
);
