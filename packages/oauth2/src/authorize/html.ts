import { encodeBase64 } from '../lib/base64.js'

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
}

/** Escapes text for an HTML element or a quoted attribute value: nothing echoed can become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!)
}

/** Hidden form inputs, escaped. */
export function hiddenInputs(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ')
}

/** The built-in pages' only stylesheet, allowed by its hash in the Content-Security-Policy. */
export const STYLES = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f4f6;color:#111827;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:24rem;margin:1rem;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{margin:0 0 .5rem;font-size:1.5rem}
p{margin:.5rem 0 1rem;color:#374151}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input[type=text],input[type=password]{width:100%;padding:.6rem .75rem;border:1px solid #9ca3af;border-radius:.5rem;font:inherit}
input:focus,button:focus{outline:3px solid #93c5fd;outline-offset:1px}
button{margin-top:1.5rem;padding:.65rem 1.25rem;border:0;border-radius:.5rem;font:inherit;font-weight:600;cursor:pointer;background:#1d4ed8;color:#fff}
button.secondary{background:#e5e7eb;color:#111827}
.actions{display:flex;gap:.75rem}
.actions button{flex:1}
.alert{padding:.75rem;border-radius:.5rem;background:#fef2f2;color:#991b1b;border:1px solid #fecaca}
ul{margin:.5rem 0 0;padding-left:1.25rem}
li{margin:.25rem 0}
.who{font-size:.9rem;color:#4b5563}
`

let styleHash: Promise<string> | undefined

/** `'sha256-…'` of `STYLES`, for `style-src` (CSP Level 3 §8.2). */
export function stylesHash(): Promise<string> {
  styleHash ??= crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(STYLES))
    .then((hash) => `'sha256-${encodeBase64(new Uint8Array(hash))}'`)
  return styleHash
}

/** A whole page: `title` and `body` must already be escaped. */
export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${STYLES}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`
}
