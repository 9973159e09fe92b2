// The whole-process baseline of `node bench/run.mjs scale`: what a user of nodemailer writes to send a
// small personalised mailing — read the CSV (csv-parse), merge each message, send it through a pooled
// transport with as many connections as the mailing's — as one process from start to exit.
// Usage: node bench/nodemailerBaseline.mjs <list.csv> <port> <connections>
import { createReadStream, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse';
import nodemailer from 'nodemailer';

const [csv, port, connections] = process.argv.slice(2);
const folder = path.dirname(csv);
const html = readFileSync(path.join(folder, 'hello.html'), 'utf8');
const text = readFileSync(path.join(folder, 'hello.txt'), 'utf8');
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const fill = (template, fields, escape = (v) => v) => template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => escape(fields[name] ?? ''));

const people = [];
for await (const record of createReadStream(csv).pipe(parse({ columns: true, bom: true }))) people.push(record);
const transport = nodemailer.createTransport({ pool: true, maxConnections: Number(connections), host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true });
let next = 0;
const worker = async () => {
  while (next < people.length) {
    const person = people[next++];
    await transport.sendMail({
      from: 'Northwind Books <news@northwind.example>',
      to: person.email,
      subject: fill('{{firstName}}, your November list', person),
      html: fill(html, person, (v) => v.replace(/[&<>"']/g, (c) => ESCAPES[c])),
      text: fill(text, person),
      headers: {
        'List-Unsubscribe': `<${fill('https://northwind.example/unsubscribe?e={{email}}', person, encodeURIComponent)}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  }
};
// Two messages per connection in hand: the pool always has the next one ready.
await Promise.all(Array.from({ length: Number(connections) * 2 }, worker));
transport.close();
