// `npm run bench`: every benchmark of the project, one after another (never in parallel: 2 cores).
// `node bench/run.mjs <name>` runs one of them: validate, authoring, csv, send, scale.
import { benchAuthoring } from './authoring.mjs';
import { benchCsv } from './csv.mjs';
import { benchScale } from './scale.mjs';
import { benchSend } from './send.mjs';
import { benchValidate } from './validate.mjs';

const only = process.argv[2];
if (!only || only === 'validate') await benchValidate();
if (!only || only === 'authoring') await benchAuthoring();
if (!only || only === 'csv') await benchCsv();
if (!only || only === 'send') await benchSend();
if (!only || only === 'scale') await benchScale();
