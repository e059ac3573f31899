package input

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// InnerSpace is whitespace found inside a token's segment: not part of a
// token (RFC 7515 §7.1: the compact form has none).
type InnerSpace struct {
	Part int    // the segment it is in, from 0
	What string // "a space", "4 spaces", "a tab"…
}

// CleanToken removes what surrounds a token pasted from a request, a log or
// code (see UnwrapToken) and the line breaks of a wrapped paste, with the
// spaces that indent or end its lines. It says what it removed. Whitespace
// inside a segment (not next to a line break) is not part of a token: it is
// removed too, so that the token can still be decoded and shown, and
// returned as inner, which refuses the token for verification.
func CleanToken(s string) (tok string, notes []string, inner *InnerSpace) {
	if u := string(FromUTF16([]byte(s))); u != s {
		s = u
		notes = append(notes, "decoded it from UTF-16")
	}
	t, unwrapped := UnwrapToken(s)
	notes = append(notes, unwrapped...)
	var b strings.Builder
	wrapped := 0
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRuneInString(t[i:])
		if !unicode.IsSpace(r) {
			b.WriteString(t[i : i+size])
			i += size
			continue
		}
		run := strings.TrimLeftFunc(t[i:], unicode.IsSpace)
		ws := t[i : len(t)-len(run)]
		i += len(ws)
		if strings.ContainsAny(ws, "\n\r\v\f\u0085\u2028\u2029") {
			wrapped += utf8.RuneCountInString(ws)
			continue
		}
		if inner == nil {
			inner = &InnerSpace{Part: strings.Count(b.String(), "."), What: describeSpace(ws)}
		}
	}
	switch {
	case wrapped == 1:
		notes = append(notes, "removed 1 space or line break")
	case wrapped > 1:
		notes = append(notes, fmt.Sprintf("removed %d spaces or line breaks", wrapped))
	}
	return b.String(), notes, inner
}

// UnwrapToken removes a byte order mark, surrounding whitespace, a "Bearer"
// prefix and surrounding quotes, in whichever order they come: the one rule
// for what surrounds a pasted token. Classify unwraps a paste with it, so
// that what it calls a JWT is what the token inspector reads.
func UnwrapToken(s string) (string, []string) {
	var notes []string
	t := strings.TrimSpace(s)
	if u := strings.TrimPrefix(t, "\ufeff"); u != t {
		t = strings.TrimSpace(u)
		notes = append(notes, "removed a byte order mark")
	}
	bearer, quotes := false, false
	for {
		switch {
		case !bearer && len(t) > 7 && strings.EqualFold(t[:6], "bearer") && unicode.IsSpace(rune(t[6])):
			t, bearer = strings.TrimSpace(t[7:]), true
			notes = append(notes, `removed the "Bearer " prefix`)
		case !quotes && len(t) >= 2 && (t[0] == '"' && t[len(t)-1] == '"' || t[0] == '\'' && t[len(t)-1] == '\''):
			t, quotes = strings.TrimSpace(t[1:len(t)-1]), true
			notes = append(notes, "removed the surrounding quotes")
		default:
			return t, notes
		}
	}
}

func describeSpace(ws string) string {
	n := utf8.RuneCountInString(ws)
	r, _ := utf8.DecodeRuneInString(ws)
	one, many := fmt.Sprintf("the character U+%04X", r), fmt.Sprintf("%d whitespace characters", n)
	switch {
	case strings.Trim(ws, " ") == "":
		one, many = "a space", fmt.Sprintf("%d spaces", n)
	case strings.Trim(ws, "\t") == "":
		one, many = "a tab", fmt.Sprintf("%d tabs", n)
	}
	if n == 1 {
		return one
	}
	return many
}
