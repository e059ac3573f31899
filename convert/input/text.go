package input

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
)

// FromUTF16 turns UTF-16 text with a byte-order mark (as some Windows tools
// save PEM) into UTF-8; anything else is returned as it is.
func FromUTF16(b []byte) []byte {
	if len(b) < 4 || len(b)%2 != 0 {
		return b
	}
	var order binary.ByteOrder
	switch {
	case b[0] == 0xff && b[1] == 0xfe:
		order = binary.LittleEndian
	case b[0] == 0xfe && b[1] == 0xff:
		order = binary.BigEndian
	default:
		return b
	}
	u := make([]uint16, 0, len(b)/2-1)
	for i := 2; i+1 < len(b); i += 2 {
		u = append(u, order.Uint16(b[i:]))
	}
	return []byte(string(utf16.Decode(u)))
}

// NormalizeText drops a UTF-8 BOM and turns CRLF and lone CR (old Mac
// line ends) into LF.
func NormalizeText(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if bytes.Contains(b, []byte("\r")) {
		b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	}
	return b
}

// IsBase64Text reports whether b is made of base64 characters (standard
// alphabet, padding) and whitespace only: DER pasted as text.
func IsBase64Text(b []byte) bool {
	return base64Text.Match(b)
}
