import { describe, expect, it } from 'vitest';
import { fileKind, folderLabel, formatSize, MAIL_CSP, MAIL_CSP_REMOTE_IMAGES, mailDocument, splitLinks } from './mail-format';

describe('mailDocument', () => {
  it('puts the CSP first in the head and the sanitized HTML in the body', () => {
    const doc = mailDocument('<p>Hi</p>');
    expect(doc.startsWith(`<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${MAIL_CSP}">`)).toBe(
      true,
    );
    expect(doc.endsWith('<body><p>Hi</p></body></html>')).toBe(true);
    const parsed = new DOMParser().parseFromString(doc, 'text/html');
    expect(parsed.head.firstElementChild?.getAttribute('http-equiv')).toBe('Content-Security-Policy');
    expect(parsed.head.firstElementChild?.getAttribute('content')).toBe(MAIL_CSP);
    expect(parsed.querySelectorAll('script, link, base')).toHaveLength(0);
  });

  it('allows no source of anything but inline styles and cid:/data: images', () => {
    expect(MAIL_CSP).toBe("default-src 'none'; img-src cid: data:; style-src 'unsafe-inline'");
  });

  it('with remote images allowed, lets only images come from http(s), and sends no referrer', () => {
    expect(MAIL_CSP_REMOTE_IMAGES).toBe("default-src 'none'; img-src cid: data: https: http:; style-src 'unsafe-inline'");
    const doc = mailDocument('<img src="https://img.example/a.png">', true);
    const parsed = new DOMParser().parseFromString(doc, 'text/html');
    const metas = [...parsed.head.querySelectorAll('meta')];
    expect(metas[0]?.getAttribute('http-equiv')).toBe('Content-Security-Policy');
    expect(metas[0]?.getAttribute('content')).toBe(MAIL_CSP_REMOTE_IMAGES);
    expect(parsed.head.querySelectorAll('meta[http-equiv]')).toHaveLength(1);
    expect(parsed.querySelector('meta[name="referrer"]')?.getAttribute('content')).toBe('no-referrer');
    expect(mailDocument('<p>x</p>')).toContain(`content="${MAIL_CSP}"`);
    expect(mailDocument('<p>x</p>', false)).not.toContain('https:');
  });
});

describe('splitLinks', () => {
  const links = (s: string) => splitLinks(s).filter((p) => p.url !== null).map((p) => p.url);

  it('gives the text back when joined', () => {
    for (const s of ['', 'no links', 'a https://x.example/b c', 'https://x.example', 'x\nhttp://y.example/?q=1&r=2#f\n']) {
      expect(splitLinks(s).map((p) => p.text).join('')).toBe(s);
    }
  });

  it('finds http and https URLs and leaves other schemes as text', () => {
    expect(links('Go to https://acme.example/a?b=1 or HTTP://Old.example/x.')).toEqual([
      'https://acme.example/a?b=1',
      'HTTP://Old.example/x',
    ]);
    expect(links('javascript:alert(1) ftp://f.example mailto:a@b.example file:///etc/passwd')).toEqual([]);
    expect(links('https:// nothing http://')).toEqual([]);
  });

  it('drops punctuation that ends the sentence, keeps balanced brackets', () => {
    expect(links('(see https://a.example/x), then https://b.example/wiki/Foo_(bar).')).toEqual([
      'https://a.example/x',
      'https://b.example/wiki/Foo_(bar)',
    ]);
    expect(links('"https://c.example/q?x=1"! <https://d.example/>')).toEqual(['https://c.example/q?x=1', 'https://d.example/']);
  });

  it('keeps the parts in order with the text between them', () => {
    expect(splitLinks('a https://x.example b')).toEqual([
      { text: 'a ', url: null },
      { text: 'https://x.example', url: 'https://x.example' },
      { text: ' b', url: null },
    ]);
  });
});

describe('formatSize', () => {
  it.each([
    [0, '0 KB'],
    [100, '0.1 KB'],
    [1024, '1 KB'],
    [2300, '2.2 KB'],
    [245_760, '240 KB'],
    [1_048_576, '1 MB'],
    [3_460_300, '3.3 MB'],
    [20 * 1_048_576, '20 MB'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

describe('folderLabel', () => {
  it('names the folders as an agent thinks of them', () => {
    expect(folderLabel('INBOX')).toBe('Received');
    expect(folderLabel('Inbox')).toBe('Received');
    expect(folderLabel('Sent')).toBe('Sent');
    expect(folderLabel('Archive/2024')).toBe('Archive/2024');
  });
});

describe('fileKind', () => {
  it('tells the kind by the extension, else by the content type', () => {
    expect(fileKind('invoice-1234.PDF', 'application/octet-stream')).toEqual({ group: 'pdf', label: 'PDF' });
    expect(fileKind('screenshot.png', 'image/png')).toEqual({ group: 'image', label: 'PNG' });
    expect(fileKind('export.xlsx', '')).toEqual({ group: 'sheet', label: 'XLSX' });
    expect(fileKind('logs.tar.gz', 'application/gzip')).toEqual({ group: 'archive', label: 'GZ' });
    expect(fileKind('trace.har', 'application/json')).toEqual({ group: 'doc', label: 'HAR' });
    expect(fileKind('image001', 'image/jpeg; name=image001')).toEqual({ group: 'image', label: 'JPG' });
    expect(fileKind('', 'application/pdf')).toEqual({ group: 'pdf', label: 'PDF' });
  });

  it('says FILE when nothing tells, and keeps odd extensions short', () => {
    expect(fileKind('README', 'application/octet-stream')).toEqual({ group: 'other', label: 'FILE' });
    expect(fileKind('.hidden', '')).toEqual({ group: 'other', label: 'FILE' });
    expect(fileKind('weird.name with spaces', '')).toEqual({ group: 'other', label: 'FILE' });
    expect(fileKind('model.step', '')).toEqual({ group: 'other', label: 'STEP' });
    expect(fileKind('data.parquet', '')).toEqual({ group: 'other', label: 'FILE' });
  });
});
