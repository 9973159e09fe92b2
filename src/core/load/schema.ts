// The mailing format (schemas/mailing.schema.json) as the core uses it: one validator per process
// (precompiled in the bundles, see precompiledSchema.ts; compiled at first use elsewhere), and the
// defaults of `sending` read from the schema so they are stated in one place.
import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import schemaJson from '../../../schemas/mailing.schema.json';
import type { SendingOptions } from '../types';
import { precompiledValidator } from './precompiledSchema';
import schemaOptions from './schemaOptions.json';

export const mailingSchema = schemaJson;

let validator: ValidateFunction | undefined;

/** Validates plain data against the schema; every error, with the schema node that raised it. */
export function validateAgainstSchema(value: unknown): ErrorObject[] {
  validator ??= precompiledValidator ?? compileValidator();
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/** Where the validator came from: ajv's standalone code built into the bundle, or compiled in this process. */
export function schemaValidatorOrigin(): 'precompiled' | 'compiled' {
  return precompiledValidator ? 'precompiled' : 'compiled';
}

function compileValidator(): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only where nothing was precompiled (see above)
  const { default: AjvClass } = require('ajv') as { default: typeof Ajv };
  return new AjvClass(schemaOptions).compile(mailingSchema);
}

const sending = schemaJson.properties.sending.properties;

/** `sending` defaults, times in ms as SendingOptions holds them (the schema states seconds). */
export const DEFAULT_SENDING: Readonly<SendingOptions> = Object.freeze({
  transport: sending.transport.default as SendingOptions['transport'],
  connections: sending.connections.default,
  attempts: sending.attempts.default,
  retryDelay: sending.retryDelay.default * 1000,
  maxRetryDelay: sending.maxRetryDelay.default * 1000,
  maxConsecutiveErrors: sending.maxConsecutiveErrors.default,
});

