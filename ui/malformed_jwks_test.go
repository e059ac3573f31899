package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// jwksMalformed is the JWKS tab's malformed-input table: broken text,
// hostile keys, a set with one bad key among good ones, and the caps.
const (
	ecX = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
	ecY = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
)

func jwksMalformed(t *testing.T) [][2]string {
	good1, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "good-1"}, true)
	good2, _ := jwkText(t, keys.Spec{Kty: keys.KtyOKP, KidStrategy: keys.KidCustom, CustomKid: "good-2"}, true)
	ec := func(extra string) string {
		return `{"kty":"EC","crv":"P-256","x":"` + ecX + `","y":"` + ecY + `"` + extra + `}`
	}
	set := func(keys ...string) string { return `{"keys":[` + strings.Join(keys, ",") + `]}` }
	u16 := []byte{0xff, 0xfe}
	for _, r := range set(good1) {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	many := set(strings.Repeat(`{"kty":"oct","k":"AAAA"},`, 10000) + `{"kty":"oct","k":"AAAA"}`)
	return [][2]string{
		{"blank", "  \n\t "},
		{"words", "hello there"},
		{"open brace", "{"},
		{"truncated set", set(good1, good2)[:120]},
		{"keys not an array", `{"keys":"nope"}`},
		{"empty set", `{"keys":[]}`},
		{"empty key", `{"keys":[{}]}`},
		{"not objects", `{"keys":[1,"a",null]}`},
		{"one bad among good", set(good1, `{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"bad"}`, good2)},
		{"duplicate member", ec(`,"kid":"d","kid":"e"`)},
		{"case twin", ec(`,"KTY":"EC"`)},
		{"even exponent", set(`{"kty":"RSA","kid":"even","n":"` + strings.Repeat("q", 342) + `","e":"AQAA"}`)},
		{"point not on curve", `{"kty":"EC","crv":"P-256","kid":"off","x":"` + ecX + `","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`},
		{"coordinate too long", `{"kty":"EC","crv":"P-256","x":"` + ecX + `A","y":"` + ecY + `"}`},
		{"short OKP x", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"}`},
		{"unknown kty", `{"kty":"DSA","p":"AQ"}`},
		{"unknown crv", `{"kty":"EC","crv":"P-192","x":"AA","y":"AA"}`},
		{"private part not matching", ec(`,"d":"AAAA"`)},
		{"PEM garbage", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"},
		{"unknown PEM label", "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"},
		{"binary garbage", "\x00\x01\x02\xff\xfe\x80"},
		{"UTF-16 with BOM", string(u16)},
		{"a JWT", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"},
		{"10,001 keys", many},
		{"JSON but no keys", `{"issuer":"https://issuer.example"}`},
		{"number", "12345"},
		{"keys of the wrong type", `{"keys":{"kty":"EC"}}`},
	}
}

// TestJWKSTabMalformedInputs: each input pasted and added gets its exact
// message under the paste box and in the status line; the good keys of a
// mixed set are added and the bad one named; the pasted text is kept; no
// hostile key reaches the workspace.
func TestJWKSTabMalformedInputs(t *testing.T) {
	_, mw := newTestWindow(t)
	mw.sh.wsListeners = []func(){mw.jwks.refresh} // see TestJWKSTabTenThousandKeys
	j := mw.jwks
	type want struct {
		err    string
		added  int
		status string
	}
	wants := map[string]want{
		"blank":                     {"Nothing to add: paste a JWK, a JWKS or PEM keys in the box above", 0, "Ready."},
		"words":                     {"Not a key: paste a PEM key or certificate (-----BEGIN …), a JWK, a JWKS, base64 DER or an OpenSSH public key", 0, "Nothing added: see the message under the paste box."},
		"open brace":                {"Not JSON: unexpected end of JSON input: check that the whole key or set was pasted", 0, "Nothing added: see the message under the paste box."},
		"truncated set":             {"Not JSON: unexpected end of JSON input: check that the whole key or set was pasted", 0, "Nothing added: see the message under the paste box."},
		"keys not an array":         {"\"keys\" is not an array: a JWKS is {\"keys\": [ … ]}", 0, "Nothing added: see the message under the paste box."},
		"empty set":                 {"This JWKS holds no keys: \"keys\" is empty", 0, "Nothing added: see the message under the paste box."},
		"empty key":                 {"The one key could not be read:\nkey 1: this JSON has no \"kty\": a JWK names its key type (\"kty\": \"RSA\", \"EC\", \"OKP\" or \"oct\")", 0, "Nothing added: see the message under the paste box."},
		"not objects":               {"None of the 3 keys could be read:\nkey 1: a JWK is a JSON object: { \"kty\": … }\nkey 2: a JWK is a JSON object: { \"kty\": … }\nkey 3: a JWK is a JSON object: { \"kty\": … }", 0, "Nothing added: see the message under the paste box."},
		"one bad among good":        {"1 key could not be read and was left out:\nkey 2 (kid \"bad\"): an RSA modulus of 17 bits is refused: under 1024 bits it is broken", 2, "Added 2 keys to the workspace. 1 key could not be read."},
		"duplicate member":          {"Member \"kid\" appears twice: refused, since readers disagree on which one counts", 0, "Nothing added: see the message under the paste box."},
		"case twin":                 {"Members \"kty\" and \"KTY\" differ only in case: refused, member names are case-sensitive and one of them is a trap", 0, "Nothing added: see the message under the paste box."},
		"even exponent":             {"The one key could not be read:\nkey 1 (kid \"even\"): RSA exponent 65536 is refused: it must be odd and at least 3 (normally 65537)", 0, "Nothing added: see the message under the paste box."},
		"point not on curve":        {"The EC point (x, y) is not on P-256: refused (a damaged or made-up key; such points leak private keys in ECDH)", 0, "Nothing added: see the message under the paste box."},
		"coordinate too long":       {"EC coordinate \"x\" is 33 bytes: P-256 needs 32", 0, "Nothing added: see the message under the paste box."},
		"short OKP x":               {"OKP member \"x\" is 31 bytes: Ed25519 needs 32", 0, "Nothing added: see the message under the paste box."},
		"unknown kty":               {"Unknown key type \"DSA\": JWK Desk reads RSA, EC, OKP and oct keys (RFC 7518 §6.1)", 0, "Nothing added: see the message under the paste box."},
		"unknown crv":               {"Unknown EC curve \"P-192\": JWK Desk reads P-256, P-384, P-521 and secp256k1", 0, "Nothing added: see the message under the paste box."},
		"private part not matching": {"EC private member \"d\" is 3 bytes: P-256 needs 32", 0, "Nothing added: see the message under the paste box."},
		"PEM garbage":               {"PEM block 1 (PUBLIC KEY) is damaged: it is not a well-formed SPKI public key: copy the whole block again, from -----BEGIN to -----END", 0, "Nothing added: see the message under the paste box."},
		"unknown PEM label":         {"Unknown PEM type `FOO` (block 1): JWK Desk reads PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY and CERTIFICATE", 0, "Nothing added: see the message under the paste box."},
		"binary garbage":            {"DER (binary) that is no key or certificate JWK Desk knows (SPKI, PKCS#1, PKCS#8, SEC1, X.509)", 0, "Nothing added: see the message under the paste box."},
		"UTF-16 with BOM":           {"", 1, "Added 1 key to the workspace."},
		"a JWT":                     {"This is a JWT (a signed token, not a key): the JWT tab inspects it", 0, "Nothing added: see the message under the paste box."},
		"10,001 keys":               {"The set has 10001 keys, over the limit of 10000", 0, "Nothing added: see the message under the paste box."},
		"JSON but no keys":          {"This JSON is neither a JWK (it has no \"kty\") nor a JWKS (it has no \"keys\")", 0, "Nothing added: see the message under the paste box."},
		"number":                    {"Not a key: paste a PEM key or certificate (-----BEGIN …), a JWK, a JWKS, base64 DER or an OpenSSH public key", 0, "Nothing added: see the message under the paste box."},
		"keys of the wrong type":    {"\"keys\" is not an array: a JWKS is {\"keys\": [ … ]}", 0, "Nothing added: see the message under the paste box."},
	}
	eachMalformed(t, jwksMalformed(t), wants, func(t *testing.T, in string, w want) {
		mw.sh.ws = keyset.NewWorkspace()
		mw.sh.workspaceChanged()
		mw.sh.setStatus("Ready.")
		paste(t, j, in)
		if w.err == "" && j.pasteErr.Visible() || w.err != "" && (!j.pasteErr.Visible() || j.pasteErr.Text != w.err) {
			t.Errorf("message\n got %q\nwant %q", j.pasteErr.Text, w.err)
		}
		if mw.sh.ws.Len() != w.added || len(j.rows) != w.added {
			t.Errorf("%d keys added, %d rows; want %d", mw.sh.ws.Len(), len(j.rows), w.added)
		}
		if mw.sh.status.Text != w.status {
			t.Errorf("status %q, want %q", mw.sh.status.Text, w.status)
		}
		if j.pasteEntry.Value() != in {
			t.Error("the pasted text was changed")
		}
	})

	// Over the paste cap: refused before the text reaches the box.
	j.pasteEntry.SetText("kept")
	mw.sh.app.Clipboard().SetContent(strings.Repeat("A", 10<<20))
	j.pasteEntry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: mw.sh.app.Clipboard()})
	if j.pasteEntry.Value() != "kept" || !strings.HasPrefix(j.pasteErr.Text, "Not pasted: the clipboard holds 10240 KiB") {
		t.Errorf("10 MiB paste: %q", j.pasteErr.Text)
	}
}
