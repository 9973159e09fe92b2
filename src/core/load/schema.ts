// The mailing format (schemas/mailing.schema.json) as the core uses it: one compiled validator per
// process, and the defaults of `sending` read from the schema so they are stated in one place.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schemaJson from '../../../schemas/mailing.schema.json';
import type { SendingOptions } from '../types';

export const mailingSchema = schemaJson;

let validator: ValidateFunction | undefined;

/** Validates plain data against the schema; every error, with the schema node that raised it. */
export function validateAgainstSchema(value: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    validator = ajv.compile(mailingSchema);
  }
  return validator(value) ? [] : [...(validator.errors ?? [])];
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

