// Pure helpers for showing mail: the sandboxed document around its
// sanitized HTML, links found in its plain text, sizes and folder names.

/**
 * The policy of the document a mail's HTML is shown in: nothing loads
 * (no scripts, fetches, fonts, frames or remote images); only inline
 * styles and cid:/data: images. The iframe's sandbox (no tokens at all)
 * already stops scripts, forms, popups and navigation of the app.
 */
export const MAIL_CSP = "default-src 'none'; img-src cid: data:; style-src 'unsafe-inline'";

/**
 * The policy once the agent allowed a mail's remote images: images (img
 * and CSS backgrounds) may also come from http(s) hosts; still no scripts,
 * fetches, stylesheets, fonts, media or frames. The Go side keeps only
 * http(s) image URLs on public hosts in such a mail.
 */
export const MAIL_CSP_REMOTE_IMAGES = "default-src 'none'; img-src cid: data: https: http:; style-src 'unsafe-inline'";

// Mail is designed for a light page: it is shown on white in both themes,
// inside a frame with its own border.
const MAIL_STYLE =
  'html{background:#fff;color:#1d2129;color-scheme:light}' +
  'body{margin:12px 14px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}table{max-width:100%}pre{white-space:pre-wrap}a{color:#2563c9}';

/**
 * mailDocument builds the srcdoc of the mail frame around HTML the Go side
 * already sanitized. The CSP comes first in the head, before anything of
 * the mail; with remoteImages (the agent allowed them) it lets images load
 * from http(s), and the referrer policy keeps the app's address from them.
 * The result is a string for the iframe's srcdoc: it never becomes part of
 * the app's own DOM.
 */
export function mailDocument(sanitizedHtml: string, remoteImages = false): string {
  return (
    '<!doctype html><html><head>' +
    `<meta http-equiv="Content-Security-Policy" content="${remoteImages ? MAIL_CSP_REMOTE_IMAGES : MAIL_CSP}">` +
    '<meta charset="utf-8">' +
    '<meta name="referrer" content="no-referrer">' +
    `<style>${MAIL_STYLE}</style>` +
    '</head><body>' +
    sanitizedHtml +
    '</body></html>'
  );
}

/** A piece of plain text: a link when url is set, text otherwise. */
export interface TextPart {
  text: string;
  /** The http(s) URL the part is, or null for plain text. */
  url: string | null;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?*_~'"»…]+$/;

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** trimUrl drops punctuation that ends the sentence rather than the URL. */
function trimUrl(url: string): string {
  let u = url;
  for (;;) {
    const before = u;
    u = u.replace(TRAILING, '');
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ] as const) {
      if (u.endsWith(close) && count(u, close) > count(u, open)) u = u.slice(0, -1);
    }
    if (u === before) return u;
  }
}

function isWebUrl(u: string): boolean {
  try {
    const parsed = new URL(u);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** splitLinks cuts plain text into text and http(s) URLs, in order; joined, the parts give the text back. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  const push = (t: string) => {
    if (t === '') return;
    const prev = parts[parts.length - 1];
    if (prev && prev.url === null) prev.text += t;
    else parts.push({ text: t, url: null });
  };
  for (const m of text.matchAll(URL_RE)) {
    const url = trimUrl(m[0]);
    if (!isWebUrl(url)) continue;
    push(text.slice(last, m.index));
    parts.push({ text: url, url });
    last = m.index + url.length;
  }
  push(text.slice(last));
  return parts;
}

/** formatSize gives an attachment's size in KB or MB. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 KB';
  const kb = bytes / 1024;
  if (kb < 1024) return kb < 10 ? `${Math.max(0.1, Math.round(kb * 10) / 10)} KB` : `${Math.round(kb)} KB`;
  const mb = kb / 1024;
  return mb < 10 ? `${Math.round(mb * 10) / 10} MB` : `${Math.round(mb)} MB`;
}

/** folderLabel names the folder a mail is in the way an agent thinks of it. */
export function folderLabel(folder: string): string {
  if (folder.toUpperCase() === 'INBOX' || folder === '') return 'Received';
  if (folder.toLowerCase() === 'sent') return 'Sent';
  return folder;
}

/** What kind of file an attachment is: a group that picks its icon's colour and a short label for it. */
export interface FileKind {
  group: 'pdf' | 'image' | 'archive' | 'sheet' | 'doc' | 'other';
  /** Up to four letters: "PDF", "PNG", "ZIP"; "FILE" when nothing tells. */
  label: string;
}

const GROUPS: Array<[FileKind['group'], RegExp]> = [
  ['pdf', /^pdf$/],
  ['image', /^(png|jpe?g|gif|webp|bmp|svg|heic|tiff?)$/],
  ['archive', /^(zip|gz|tgz|rar|7z|tar|bz2|xz)$/],
  ['sheet', /^(xlsx?|ods|csv|tsv|numbers)$/],
  ['doc', /^(docx?|odt|rtf|txt|md|pages|eml|log|json|xml|har)$/],
];

/** fileKind tells an attachment's kind by its name's extension, else by its content type. */
export function fileKind(name: string, contentType: string): FileKind {
  const dot = name.lastIndexOf('.');
  let ext = dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
  if (!/^[a-z0-9]{1,5}$/.test(ext)) ext = '';
  const type = contentType.toLowerCase().split(';')[0]!.trim();
  if (ext === '') {
    if (type === 'application/pdf') ext = 'pdf';
    else if (type.startsWith('image/')) ext = type.slice(6).replace(/^jpeg$/, 'jpg').replace(/\+xml$/, '');
    else if (type === 'application/zip') ext = 'zip';
    else if (type === 'text/csv') ext = 'csv';
    else if (type.startsWith('text/')) ext = 'txt';
  }
  const group = GROUPS.find(([, re]) => re.test(ext))?.[0] ?? (type.startsWith('image/') ? 'image' : 'other');
  const label = ext === '' ? 'FILE' : ext.slice(0, 4).toUpperCase();
  return { group, label };
}
