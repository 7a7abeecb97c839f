// Package mailparse turns a raw RFC 5322/MIME message into the model the app
// stores and shows, and makes mail HTML safe to show.
//
// It owns: header decoding (RFC 2047 words, 8-bit and mislabelled charsets),
// the MIME walk (text and HTML bodies, inline cid: images, attachments streamed
// with their sizes and SHA-256 sums, forwarded message/rfc822 parts, S/MIME
// signatures), threading ids, auto-reply detection, GitLab reply keys, a
// quote-stripped body for the thread view, and sanitizing HTML (SafeHTML,
// SafeHTMLWithImages once the agent allowed a mail's remote images,
// RemoteImages, HTMLToText).
//
// It leaves to others: reading mail from IMAP and storing bodies or
// attachments (internal/mailbox; attachments arrive through
// Options.Attachment as streams), deciding which ticket a message belongs to
// (internal/linker), and indexing. It does no I/O beyond the io.Reader it is
// handed, and knows nothing of IMAP or tickets.
//
// Broken mail is never an error and never dropped: Parse reports it with
// Message.Broken and keeps the raw text.
package mailparse
