package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The one walker of a JSON object's members: the JWK reader refuses a
// member named twice (also in another case, "KTY" beside "kty"), and the
// token inspector refuses a header or claims object that names one twice.
// Both go through Members.

// ErrNotObject says JSON text is not an object.
var ErrNotObject = errors.New("not a JSON object")

// NotJSONError says text is not JSON, where, and why.
type NotJSONError struct {
	Problem string // "invalid character '}' … at line 1, column 12"
}

func (e *NotJSONError) Error() string { return "not JSON: " + e.Problem }

// DuplicateMemberError says an object names a member twice: exactly, or
// in another case when case twins are refused.
type DuplicateMemberError struct {
	Name  string // as first written
	Again string // as written the second time: Name for an exact repeat
}

func (e *DuplicateMemberError) Error() string {
	if e.Name == e.Again {
		return fmt.Sprintf("member %q appears twice: refused, since readers disagree on which one counts", e.Name)
	}
	return fmt.Sprintf("members %q and %q differ only in case: refused, member names are case-sensitive and one of them is a trap", e.Name, e.Again)
}

// Members reads a JSON object's members, refusing a member named twice (the
// last one would silently win in most readers) and, with caseTwins, names
// that differ only in case. Errors: *NotJSONError, ErrNotObject,
// *DuplicateMemberError.
func Members(raw []byte, caseTwins bool) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, notJSON(raw, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, ErrNotObject
	}
	seen := map[string]string{}
	obj := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, notJSON(raw, err)
		}
		name, _ := tok.(string)
		key := name
		if caseTwins {
			key = strings.ToLower(name)
		}
		if prev, dup := seen[key]; dup {
			return nil, &DuplicateMemberError{Name: prev, Again: name}
		}
		seen[key] = name
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, notJSON(raw, err)
		}
		obj[name] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, notJSON(raw, err)
	}
	return obj, nil
}

// FirstDuplicate is the first member name a JSON object repeats exactly
// ("" when none does, or the text is not an object).
func FirstDuplicate(raw []byte) string {
	var dup *DuplicateMemberError
	if _, err := Members(raw, false); errors.As(err, &dup) {
		return dup.Name
	}
	return ""
}

func notJSON(raw []byte, err error) error {
	return &NotJSONError{Problem: JSONProblem(raw, err)}
}

// JSONProblem is what is wrong with JSON and where: "invalid character
// '}' looking for beginning of object key string at line 1, column 12".
func JSONProblem(raw []byte, err error) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se) && se.Offset > 0 && strings.HasPrefix(se.Error(), "unexpected end"):
		return "the text ends before the JSON does"
	case errors.As(err, &se):
		line, col := lineColumn(raw, se.Offset)
		return fmt.Sprintf("%s at line %d, column %d", strings.TrimPrefix(se.Error(), "json: "), line, col)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the text ends before the JSON does"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func lineColumn(b []byte, offset int64) (int, int) {
	if offset > int64(len(b)) {
		offset = int64(len(b))
	}
	before := b[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}
