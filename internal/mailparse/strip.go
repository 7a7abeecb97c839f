package mailparse

import (
	"regexp"
	"strings"
)

var (
	// "On Tue, 3 Jun 2014 at 10:00, Jane <j@x> wrote:" and its translations,
	// possibly wrapped over up to three lines by the sending client.
	onWroteRE = regexp.MustCompile(`(?is)^(on|am|le|el|op|il|em|den|på)\s.{0,400}?(wrote|schrieb|a écrit|escribió|schreef|ha scritto|escreveu|skrev)(\s.{0,200}?)?\s*:\s*$`)
	// "-----Original Message-----" and its translations, Android's
	// "-------- Original message --------".
	originalRE = regexp.MustCompile(`(?i)^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht)\s*-{2,}$`)
	// Outlook's separator: a From: line followed by Sent:/Date: and To:/Subject:.
	outlookFromRE = regexp.MustCompile(`(?i)^\*?(from|von|de|van|da)\s?:\*?\s+\S`)
	outlookSentRE = regexp.MustCompile(`(?i)^\*?(sent|date|gesendet|datum|envoyé|enviado|verzonden|inviato)\s?:\*?\s+\S`)
	outlookToRE   = regexp.MustCompile(`(?i)^\*?(to|subject|an|betreff|à|objet|para|asunto|aan|onderwerp|a|oggetto)\s?:\*?\s*`)
	underscoreRE  = regexp.MustCompile(`^_{10,}$`)
)

// stripQuotes removes quoted history from a plain-text reply: everything from
// the first attribution line ("On … wrote:", Outlook's From/Sent block,
// "-----Original Message-----") on, and a trailing block of "> " lines. When
// that would leave nothing (a bottom-posted or all-quoted mail) it keeps the
// unquoted lines, and failing that the whole text.
func stripQuotes(text string) string {
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i := range lines {
		if isQuoteStart(lines, i) {
			cut = i
			break
		}
	}
	kept := trimTrailingQuotes(lines[:cut])
	if s := strings.TrimSpace(strings.Join(kept, "\n")); s != "" {
		return s
	}
	var unquoted []string
	for i, l := range lines {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, ">") || isQuoteStart(lines, i) || isAttributionTail(lines, i) {
			continue
		}
		unquoted = append(unquoted, l)
	}
	if s := strings.TrimSpace(strings.Join(unquoted, "\n")); s != "" {
		return s
	}
	return strings.TrimSpace(text)
}

// isQuoteStart reports whether lines[i] opens the quoted history.
func isQuoteStart(lines []string, i int) bool {
	t := strings.TrimSpace(lines[i])
	if t == "" {
		return false
	}
	if originalRE.MatchString(t) {
		return true
	}
	if onWrote(lines, i) {
		return true
	}
	if underscoreRE.MatchString(t) {
		for j := i + 1; j < len(lines) && j <= i+2; j++ {
			if outlookFromRE.MatchString(strings.TrimSpace(lines[j])) {
				return true
			}
		}
	}
	if outlookFromRE.MatchString(t) {
		sent, to := false, false
		for j := i + 1; j < len(lines) && j <= i+6; j++ {
			n := strings.TrimSpace(lines[j])
			sent = sent || outlookSentRE.MatchString(n)
			to = to || outlookToRE.MatchString(n)
		}
		return sent && to
	}
	return false
}

// onWrote matches an attribution starting at lines[i] and spanning up to
// three lines.
func onWrote(lines []string, i int) bool {
	t := strings.TrimSpace(lines[i])
	if len(t) < 3 || !onWroteStart(t) {
		return false
	}
	joined := t
	for j := i; j < len(lines) && j < i+3; j++ {
		if j > i {
			joined += " " + strings.TrimSpace(lines[j])
		}
		if onWroteRE.MatchString(joined) {
			return true
		}
	}
	return false
}

func onWroteStart(t string) bool {
	first, _, _ := strings.Cut(t, " ")
	switch strings.ToLower(first) {
	case "on", "am", "le", "el", "op", "il", "em", "den", "på":
		return true
	}
	return false
}

// isAttributionTail reports whether lines[i] continues an attribution that
// began on one of the two lines before.
func isAttributionTail(lines []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		if onWrote(lines, j) {
			return true
		}
	}
	return false
}

// trimTrailingQuotes drops trailing blank and "> " lines.
func trimTrailingQuotes(lines []string) []string {
	end := len(lines)
	for end > 0 {
		t := strings.TrimSpace(lines[end-1])
		if t != "" && !strings.HasPrefix(t, ">") {
			break
		}
		end--
	}
	return lines[:end]
}
