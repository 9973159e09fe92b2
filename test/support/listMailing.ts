// A mailing file for the CLI tests: `count` inline recipients r<i>@<name>.test, a complete clean
// mailing otherwise (content, unsubscribe, test recipients), its `sending:` block given whole.
export function listMailingYaml(name: string, count: number, options: { subject: string; sending: string; timezone?: string }): string {
  const rows = Array.from({ length: count }, (_, i) => `    - { email: r${i}@${name}.test, firstName: R${i} }`).join('\n');
  return `version: 1
name: ${name}
from: Acme News <news@acme.example>
subject: "{{firstName}}, ${options.subject}"
content:
  html: |
    <p>Hello {{firstName}}</p>
    <p><a href="https://acme.example/u?e={{email}}">Unsubscribe</a></p>
  text: "Hello {{firstName}}"
targetList:
  include:
${rows}
unsubscribe:
  url: https://acme.example/u?e={{email}}
test:
  recipients: [tester@acme.example]
timezone: ${options.timezone ?? 'Europe/Amsterdam'}
sending:
${options.sending}`;
}
