// The mailing schema's validator as ajv's standalone code, in the bundles only: esbuild.mjs (the
// precompiled-schema plugin) replaces this module with the code ajv generates for
// schemas/mailing.schema.json with schemaOptions.json, so a CLI command or an activation neither
// loads ajv nor compiles the schema (about 0.1 s of every `validate`, `send` and first check).
// Here — tsc's out/, what the tests run — there is none, and schema.ts compiles the schema at first
// use with the same options; an integration test checks that both give the same errors.
import type { ValidateFunction } from 'ajv';

export const precompiledValidator: ValidateFunction | undefined = undefined;
