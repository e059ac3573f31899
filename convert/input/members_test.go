package input

import (
	"errors"
	"strings"
	"testing"
)

// One walker for every JSON object whose members must be unique: the JWK
// reader (RFC 7517 §4, also refusing case twins) and the token inspector
// (RFC 7515 §4: header parameter names MUST be unique; RFC 7519 §4 for
// claims). The messages are the ones the reader and the inspector show.
func TestMembersOneWalker_RFC7515_4_RFC7517_4(t *testing.T) {
	cases := []struct {
		name      string
		raw       string
		caseTwins bool
		want      string // "" = read
		first     string // FirstDuplicate
	}{
		{"unique members", `{"kty":"EC","crv":"P-256"}`, true, "", ""},
		{"an exact repeat", `{"kty":"EC","kty":"RSA"}`, false, `member "kty" appears twice: refused, since readers disagree on which one counts`, "kty"},
		{"an exact repeat, case twins refused too", `{"alg":"HS256","alg":"none"}`, true, `member "alg" appears twice`, "alg"},
		{"case twins refused", `{"KTY":"EC","kty":"EC"}`, true, `members "KTY" and "kty" differ only in case: refused, member names are case-sensitive and one of them is a trap`, ""},
		{"case twins allowed (a header: warned, not refused)", `{"ALG":"x","alg":"HS256"}`, false, "", ""},
		{"a repeat in a nested object is the nested object's business", `{"a":{"b":1,"b":2},"c":3}`, false, "", ""},
		{"not an object", `["kty"]`, true, ErrNotObject.Error(), ""},
		{"cut short", `{"kty":"EC","crv":`, true, "not JSON: the text ends before the JSON does", ""},
		{"damaged", "{\n\"kty\" \"EC\"}", true, "not JSON: expected colon after object key at line 2, column 6", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obj, err := Members([]byte(c.raw), c.caseTwins)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want == "" && obj == nil:
				t.Fatal("no members")
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if got := FirstDuplicate([]byte(c.raw)); got != c.first {
				t.Errorf("FirstDuplicate = %q, want %q", got, c.first)
			}
		})
	}
	var nj *NotJSONError
	if _, err := Members([]byte("{\"a\":1,\n\"b\" 2}"), false); !errors.As(err, &nj) || !strings.HasSuffix(nj.Problem, "at line 2, column 4") {
		t.Errorf("the position is not named: %v", err)
	}
}
