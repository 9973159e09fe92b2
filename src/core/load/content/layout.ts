// The layout a Markdown mailing is set in: a `content.layout` file (HTML or MJML) with `{{content}}`
// where the Markdown goes, or this one — the long-tested shape of a responsive newsletter: a full-width
// table for the background, a centred column of at most 600 pixels (a fixed-width table for Outlook,
// which ignores max-width, inside `<!--[if mso]>`), every style inline, one media query for the
// padding on phones. `{{content}}` is no merge field: it is taken by the layout before merging.

/** `{{content}}` (spaces inside the braces allowed), where a layout takes the Markdown. */
export const CONTENT_PLACEHOLDER = /\{\{\s*content\s*\}\}/g;

export const DEFAULT_LAYOUT = `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="x-apple-disable-message-reformatting">
<title></title>
<style>
@media only screen and (max-width: 620px) {
  .mailings-outer { padding: 12px 0 !important; }
  .mailings-body { padding: 20px 16px !important; }
}
</style>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;background-color:#f4f4f5;">
<tr>
<td class="mailings-outer" align="center" style="padding:24px 12px;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;border-collapse:collapse;background-color:#ffffff;">
<tr>
<td class="mailings-body" style="padding:32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;text-align:left;">
{{content}}
</td>
</tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td>
</tr>
</table>
</body>
</html>
`;

/** Whether a layout has the place for the content. */
export function hasContentPlaceholder(layout: string): boolean {
  CONTENT_PLACEHOLDER.lastIndex = 0;
  return CONTENT_PLACEHOLDER.test(layout);
}

/** The layout with the content in place of every `{{content}}`. */
export function wrapInLayout(layout: string, content: string): string {
  return layout.replace(CONTENT_PLACEHOLDER, () => content);
}
