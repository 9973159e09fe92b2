// The files a new mailing starts from (New Mailing in VS Code): the mailing and its content in one
// of three formats, HTML, MJML or Markdown. Each starter is a complete mailing that validates clean
// but for the test step (test/unit/starters.test.ts checks that for every format), so the first
// thing a user sees is what is left to do: send a test.
import { slug } from './render/headerText';
import { yamlValueText } from './load/documentQueries';

export const STARTER_FORMATS = ['html', 'mjml', 'markdown'] as const;
export type StarterFormat = (typeof STARTER_FORMATS)[number];

/** The extension of a format's content file. */
const CONTENT_EXTENSION: Record<StarterFormat, string> = { html: 'html', mjml: 'mjml', markdown: 'md' };

export interface StarterFile {
  /** A file name, relative to the folder the mailing goes in. */
  name: string;
  text: string;
}

export interface Starter {
  mailing: StarterFile;
  content: StarterFile;
}

/** The starter of `name` in `format`: `<slug>.mailing.yaml` and `<slug>.html|.mjml|.md`. */
export function starterFiles(name: string, format: StarterFormat): Starter {
  const base = slug(name);
  const content = { name: `${base}.${CONTENT_EXTENSION[format]}`, text: CONTENT[format] };
  return { mailing: { name: `${base}.mailing.yaml`, text: starterMailingYaml(name, format, content.name) }, content };
}

function starterMailingYaml(name: string, format: StarterFormat, contentFile: string): string {
  return `version: 1
name: ${yamlValueText(name)}
from: Your Name <you@example.com>
subject: ${yamlValueText(`{{firstName}}, ${name}`)}
# The line inboxes show beside the subject (merge fields work here too).
preheader: What this message is about, in one line.
content:
  ${format}: ${contentFile}
targetList:
  include:
    # A CSV with a header row and an email column; every column becomes a merge field:
    # - file: recipients.csv
    - { email: jane@example.com, firstName: Jane }
unsubscribe:
  url: https://example.com/unsubscribe?e={{email}}
test:
  recipients: [you@example.com]
sending:
  transport: outbox
`;
}

const CONTENT: Record<StarterFormat, string> = {
  html: `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Your message</title>
    <style>
      body { margin: 0; padding: 0; background: #f4f4f5; }
      .message { max-width: 600px; margin: 0 auto; padding: 24px; background: #ffffff; font-family: Arial, Helvetica, sans-serif; color: #1f2328; }
      .footer { font-size: 13px; color: #57606a; }
    </style>
  </head>
  <body>
    <div class="message">
      <h1>Hello {{firstName}},</h1>
      <p>Write your message here.</p>
      <p class="footer">You receive this because you subscribed. <a href="https://example.com/unsubscribe?e={{email}}">Unsubscribe</a></p>
    </div>
  </body>
</html>
`,
  mjml: `<mjml>
  <mj-head>
    <mj-title>Your message</mj-title>
    <mj-attributes>
      <mj-all font-family="Arial, Helvetica, sans-serif" />
      <mj-text font-size="16px" line-height="1.5" color="#1f2328" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f5" width="600px">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="24px" font-weight="bold">Hello {{firstName}},</mj-text>
        <mj-text>Write your message here.</mj-text>
        <mj-text font-size="13px" color="#57606a">
          You receive this because you subscribed.
          <a href="https://example.com/unsubscribe?e={{email}}" style="color:#57606a;">Unsubscribe</a>
        </mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`,
  markdown: `# Hello {{firstName}},

Write your message here: **bold**, _italic_, [links](https://example.com/), lists and headings
become the HTML part, and this text (as written) becomes the plain-text part.

You receive this because you subscribed. [Unsubscribe](https://example.com/unsubscribe?e={{email}})
`,
};
