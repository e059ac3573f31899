package keyset

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// The workspace writes the keys package's public form and nothing of its
// own (RFC 7517 §4: the allow-list, keys.PublicForm): its published JWKS is
// keys.ExportPublicJWKS's, each saved key is keys.PublicJWK's, and a saved
// workspace loads back to the same published set. So the allow-list tests
// of keys (TestPublicFormAllowList, TestPublicFormProperty, the reader's
// writtenEverywhere) hold for every output of the workspace too.
func TestWorkspaceWritesTheKeysPublicForm_RFC7517_4(t *testing.T) {
	r, r1024 := testkit.RSAPair(t)
	ec := testkit.EC(t)
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	oth := []any{map[string]any{"r": "AQAB", "d": "AQAB", "t": "AQAB"}}
	set := []jwk.Key{
		testkit.WithMembers(t, testkit.Key(t, ec, map[string]any{"kid": "ec"}), map[string]any{"k": "c2VjcmV0", "dp": "AQAB"}),
		testkit.WithMembers(t, testkit.Key(t, &r.PublicKey, map[string]any{"kid": "rsa"}), map[string]any{"oth": oth, "r": "AQAB", "t": "AQAB"}),
		testkit.WithMembers(t, testkit.Key(t, &r1024.PublicKey, map[string]any{"kid": "entra", "use": "sig"}), map[string]any{"issuer": "https://login.example.com/tenant/v2.0", "acr": "1", "exp": "AQAB"}),
		testkit.WithMembers(t, testkit.Key(t, edPriv, map[string]any{"kid": "ed"}), map[string]any{"k": "c2VjcmV0", "q": "AQAB"}),
		testkit.Key(t, []byte("0123456789abcdef0123456789abcdef"), map[string]any{"kid": "secret"}),
	}
	ws := NewWorkspace()
	if _, err := ws.Add("test", set...); err != nil {
		t.Fatal(err)
	}
	published, rep, err := ws.ExportPublic()
	if err != nil {
		t.Fatal(err)
	}
	want, wantRep, err := keys.ExportPublicJWKS(set)
	if err != nil || !bytes.Equal(published, want) || rep.String() != wantRep.String() {
		t.Fatalf("the workspace published other than keys.ExportPublicJWKS (%v):\n%s\nwant\n%s", err, published, want)
	}
	state, err := ws.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	var saved struct {
		Keys []struct {
			JWK json.RawMessage `json:"jwk"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(state, &saved); err != nil || len(saved.Keys) != 4 {
		t.Fatalf("saved state (%v):\n%s", err, state)
	}
	for i, s := range saved.Keys {
		pub, _, err := keys.PublicJWK(set[i])
		var got, compact bytes.Buffer
		if err != nil || json.Compact(&compact, pub) != nil || json.Compact(&got, s.JWK) != nil || !bytes.Equal(got.Bytes(), compact.Bytes()) {
			t.Errorf("saved key %d is not keys.PublicJWK's (%v):\n%s\nwant\n%s", i+1, err, s.JWK, pub)
		}
	}
	for _, out := range [][]byte{published, state} {
		for _, names := range testkit.MemberNames(t, out) {
			for _, n := range names {
				if keys.IsPrivateMember(n) {
					t.Errorf("private member %q written:\n%s", n, out)
				}
			}
		}
	}
	loaded := NewWorkspace()
	if _, bad, err := loaded.LoadState(state); err != nil || len(bad) > 0 {
		t.Fatalf("load: %v %v", err, bad)
	}
	if again, _, err := loaded.ExportPublic(); err != nil || !bytes.Equal(again, published) {
		t.Errorf("loaded back, the workspace publishes (%v):\n%s\nwant\n%s", err, again, published)
	}
}

// Editing a kid goes through the one check of typed kids (keys.CheckKid).
func TestSetKidChecksTheKid(t *testing.T) {
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorkspace()
	if _, err := w.Add("test", g.Public); err != nil {
		t.Fatal(err)
	}
	if err := w.SetKid(0, "x\ry"); err == nil || !strings.Contains(err.Error(), "holds the control character U+000D") {
		t.Errorf("SetKid took a carriage return: %v", err)
	}
}
