package keys

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"

	"golang.org/x/crypto/ssh"
)

// PEM as people paste it. RFC 7468 §3's lax grammar lets a reader accept
// whitespace around every line; in the wild there are also blocks on one
// line (an environment variable), "\n" escapes instead of line breaks (a
// JSON string) and old-Mac CR line ends. tidyPEM lays the text out so that
// encoding/pem reads it; nothing of the base64 is decoded here.

var (
	// Labels may hold single hyphens (openssl's "RSA-PSS PRIVATE KEY").
	pemMarker = regexp.MustCompile(`-----(BEGIN|END) ([^\n]*?)-----`)
	pemBegin  = regexp.MustCompile(`-----BEGIN ([^\n]*?)-----`)
	pemEnd    = regexp.MustCompile(`-----END ([^\n]*?)-----`)
)

// tidyPEM returns PEM text with each line trimmed of spaces and tabs, and
// BEGIN and END lines on lines of their own; the notes say what was unusual
// enough to mention.
func tidyPEM(b []byte) ([]byte, []string) {
	if tidyAlready(b) {
		return b, nil // the usual case, checked without splitting a 1 MiB bundle into lines
	}
	var notes []string
	if first := bytes.Index(b, []byte("-----BEGIN ")); first >= 0 && !bytes.Contains(b[first:], []byte("\n")) && bytes.Contains(b, []byte(`\n`)) {
		b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte(`\r\n`), []byte("\n")), []byte(`\n`), []byte("\n"))
		notes = append(notes, `the PEM had "\n" escapes instead of line breaks (as in a JSON string or an environment variable): read as line breaks`)
	}
	lines := bytes.Split(b, []byte("\n"))
	out := make([][]byte, 0, len(lines)+4)
	split, changed := false, false
	for _, line := range lines {
		trimmed := bytes.Trim(line, " \t")
		changed = changed || len(trimmed) != len(line)
		parts := splitMarkers(trimmed)
		split = split || len(parts) > 1
		out = append(out, parts...)
	}
	if split {
		notes = append(notes, "a BEGIN or END line shared its line with other text (a PEM on one line?): read as separate lines")
	}
	if !split && !changed {
		return b, notes
	}
	return bytes.Join(out, []byte("\n")), notes
}

// splitMarkers puts each BEGIN or END marker of a (trimmed) line on a line
// of its own, with the text around them trimmed; a line that is one marker,
// or has none, is returned whole.
func splitMarkers(line []byte) [][]byte {
	if !bytes.Contains(line, []byte("-----")) { // base64 lines: the usual case
		return [][]byte{line}
	}
	locs := pemMarker.FindAllIndex(line, -1)
	if len(locs) == 0 || len(locs) == 1 && locs[0][0] == 0 && locs[0][1] == len(line) {
		return [][]byte{line}
	}
	var out [][]byte
	start := 0
	for _, l := range locs {
		if part := bytes.Trim(line[start:l[0]], " \t"); len(part) > 0 {
			out = append(out, part)
		}
		out = append(out, line[l[0]:l[1]])
		start = l[1]
	}
	if part := bytes.Trim(line[start:], " \t"); len(part) > 0 {
		out = append(out, part)
	}
	return out
}

// tidyAlready reports whether PEM text needs no tidying: no line starts or
// ends with a space or tab, and every BEGIN and END line is a line of its
// own.
func tidyAlready(b []byte) bool {
	for _, ws := range []string{"\n ", "\n\t", " \n", "\t\n"} {
		if bytes.Contains(b, []byte(ws)) {
			return false
		}
	}
	if len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		return false
	}
	dashes := []byte("-----")
	for rest := b; ; {
		i := bytes.Index(rest, dashes)
		if i < 0 {
			return true
		}
		if i > 0 && rest[i-1] != '\n' {
			return false
		}
		line, ok := markerLine(rest[i+len(dashes):])
		if !ok {
			return false
		}
		rest = rest[i+len(dashes)+len(line):]
	}
}

// markerLine is the rest of a line that starts with a marker's first
// dashes, and whether it is a BEGIN or END marker that ends its line.
func markerLine(after []byte) ([]byte, bool) {
	dashes := []byte("-----")
	if !bytes.HasPrefix(after, []byte("BEGIN ")) && !bytes.HasPrefix(after, []byte("END ")) {
		return nil, false
	}
	line := after
	if nl := bytes.IndexByte(after, '\n'); nl >= 0 {
		line = after[:nl]
	}
	j := bytes.Index(line, dashes)
	return line, j >= 0 && j+len(dashes) == len(line)
}

// pemBlockProblem explains why encoding/pem found no block in text that
// has a BEGIN line: no END line, an END line of another label, or a body
// that is not base64. n is the block's number.
func pemBlockProblem(rest []byte, n int) error {
	noEnd := errors.New("a BEGIN line without a matching END line (or a damaged block): copy the whole PEM, from -----BEGIN to -----END")
	begin := pemBegin.FindSubmatchIndex(rest)
	if begin == nil {
		return noEnd
	}
	label := string(rest[begin[2]:begin[3]])
	after := rest[begin[1]:]
	end := pemEnd.FindSubmatchIndex(after)
	if end == nil {
		return noEnd
	}
	if endLabel := string(after[end[2]:end[3]]); endLabel != label {
		return fmt.Errorf("PEM block %d begins with -----BEGIN %s----- but ends with -----END %s-----: make the two labels the same", n, label, endLabel)
	}
	var body []byte
	for _, line := range bytes.Split(after[:end[0]], []byte("\n")) {
		if !bytes.Contains(line, []byte(":")) { // header lines (Proc-Type: …) are not base64
			body = append(body, bytes.Join(bytes.Fields(line), nil)...)
		}
	}
	if _, err := base64.StdEncoding.DecodeString(string(body)); err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) < len(body) {
			return fmt.Errorf("PEM block %d (%s) is not base64 between its BEGIN and END lines (%q at character %d): copy the whole block again", n, label, string(body[ce]), int(ce)+1)
		}
		return fmt.Errorf("PEM block %d (%s) is not base64 between its BEGIN and END lines (its length is not a multiple of 4: a line is missing or cut): copy the whole block again", n, label)
	}
	return noEnd
}

// ssh2Marker starts an RFC 4716 public key (ssh-keygen -e writes it).
var ssh2Marker = []byte("---- BEGIN SSH2 PUBLIC KEY ----")

// parseSSH2PublicKey reads an RFC 4716 "SSH2 PUBLIC KEY" block: headers
// (with "\" continuations) are skipped, the base64 body is the key in SSH
// wire format.
func parseSSH2PublicKey(b []byte) (*ParseResult, error) {
	start := bytes.Index(b, ssh2Marker)
	end := bytes.Index(b, []byte("---- END SSH2 PUBLIC KEY ----"))
	if end < start {
		return nil, errors.New("an SSH2 public key without its END line: copy the whole key, from ---- BEGIN to ---- END")
	}
	var body []byte
	continued := false
	for _, line := range bytes.Split(b[start+len(ssh2Marker):end], []byte("\n")) {
		line = bytes.TrimSpace(line)
		isHeader := continued || bytes.Contains(line, []byte(":"))
		continued = isHeader && bytes.HasSuffix(line, []byte(`\`))
		if !isHeader {
			body = append(body, line...)
		}
	}
	wire, err := base64.StdEncoding.DecodeString(string(body))
	if err != nil {
		return nil, errors.New("this SSH2 public key (RFC 4716) is not base64 between its BEGIN and END lines: copy it again")
	}
	pub, err := ssh.ParsePublicKey(wire)
	if err != nil {
		return nil, errors.New("this SSH2 public key (RFC 4716) is damaged: its content is not an SSH public key")
	}
	cpk, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return nil, fmt.Errorf("SSH key type %s has no JOSE form", pub.Type())
	}
	item, err := keyItem(cpk.CryptoPublicKey(), "SSH2 public key (RFC 4716), "+pub.Type())
	if err != nil {
		return nil, err
	}
	return &ParseResult{Summary: "SSH2 public key", Items: []Item{item}}, nil
}
