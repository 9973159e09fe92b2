// `npm run bench`: every benchmark of the project, one after another (never in parallel: 2 cores).
import { benchValidate } from './validate.mjs';

const only = process.argv[2];
if (!only || only === 'validate') await benchValidate();
