package issuer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// wsKey generates a private key of spec for a workspace test.
func wsKey(t *testing.T, spec keys.Spec) jwk.Key {
	t.Helper()
	g, err := keys.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	return g.Private
}

// workspaceOf adds ks to a new workspace with their notes ("" for none).
func workspaceOf(t *testing.T, ks []jwk.Key, notes []string) *keyset.Workspace {
	t.Helper()
	ws := keyset.NewWorkspace()
	if _, err := ws.Add("test", ks...); err != nil {
		t.Fatal(err)
	}
	for i, n := range notes {
		if n != "" {
			if err := ws.SetNote(i, n); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ws
}

func publicOnly(t *testing.T, k jwk.Key) jwk.Key {
	t.Helper()
	p, err := keys.PublicOf(k)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func entryRoles(es []Entry) string {
	var b strings.Builder
	for _, e := range es {
		sign := "-"
		if e.Private != nil {
			sign = e.Alg
		}
		b.WriteString(e.Kid + "=" + e.Role.String() + "/" + sign + " ")
	}
	return strings.TrimSpace(b.String())
}

// TestEntriesFromWorkspace: the roles come from the workspace's rotation
// marks (next, retiring) and the signer is the first key that can sign and
// is neither, or the one picked; oct secrets are never served (RFC 7517
// §4 public set); enc keys are served and never sign.
func TestEntriesFromWorkspace(t *testing.T) {
	ec := wsKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256, KidStrategy: keys.KidCustom, CustomKid: "ec"})
	ed := wsKey(t, keys.Spec{Kty: keys.KtyOKP, Crv: "Ed25519", KidStrategy: keys.KidCustom, CustomKid: "ed"})
	p384 := wsKey(t, keys.Spec{Kty: keys.KtyEC, Crv: "P-384", KidStrategy: keys.KidCustom, CustomKid: "p384"})
	x := wsKey(t, keys.Spec{Kty: keys.KtyOKP, Crv: "X25519", Use: "enc", KidStrategy: keys.KidCustom, CustomKid: "x"})
	oct := wsKey(t, keys.Spec{Kty: keys.KtyOct, Alg: "HS256", KidStrategy: keys.KidCustom, CustomKid: "oct"})
	noAlg := wsKey(t, keys.Spec{Kty: keys.KtyEC, Crv: "P-521", KidStrategy: keys.KidCustom, CustomKid: "na"})
	_ = noAlg.Remove(jwk.AlgorithmKey)
	_ = noAlg.Remove(jwk.KeyUsageKey)
	cases := []struct {
		name  string
		keys  []jwk.Key
		notes []string
		opts  FromWorkspace
		want  string
	}{
		{"first signing key signs", []jwk.Key{ec, ed}, nil, FromWorkspace{}, "ec=signer/ES256 ed=published/EdDSA"},
		{"next and retiring marks skipped for the signer", []jwk.Key{ec, ed, p384}, []string{"retiring", "next"}, FromWorkspace{},
			"ec=retiring/ES256 ed=next/EdDSA p384=signer/ES384"},
		{"picked signer", []jwk.Key{ec, ed}, nil, FromWorkspace{Signer: "ed"}, "ec=published/ES256 ed=signer/EdDSA"},
		{"public key served, never signs", []jwk.Key{publicOnly(t, ec), ed}, nil, FromWorkspace{}, "ec=published/- ed=signer/EdDSA"},
		{"oct never served, enc key never signs", []jwk.Key{oct, x, ec}, nil, FromWorkspace{}, "x=published/- ec=signer/ES256"},
		{"key without alg signs with its shape's default (RFC 7518 §3.4)", []jwk.Key{noAlg}, nil, FromWorkspace{}, "na=signer/ES512"},
		{"kept roles survive a workspace change", []jwk.Key{ec, ed, p384}, nil,
			FromWorkspace{Keep: []KeyStatus{{Kid: "ec", Role: Retiring}, {Kid: "ed", Role: Signer}}},
			"ec=retiring/ES256 ed=signer/EdDSA p384=published/ES384"},
		{"a new next mark waits while the rehearsal has a next key", []jwk.Key{ec, ed, p384}, []string{"", "", "next"},
			FromWorkspace{Keep: []KeyStatus{{Kid: "ec", Role: Signer}, {Kid: "ed", Role: Next}}},
			"ec=signer/ES256 ed=next/EdDSA p384=published/ES384"},
		{"a workspace mark on a key the rehearsal only publishes counts", []jwk.Key{ec, ed}, []string{"", "next"},
			FromWorkspace{Keep: []KeyStatus{{Kid: "ec", Role: Signer}, {Kid: "ed", Role: Published}}},
			"ec=signer/ES256 ed=next/EdDSA"},
		{"kept retired key stays unserved", []jwk.Key{ec, ed}, nil,
			FromWorkspace{Keep: []KeyStatus{{Kid: "ec", Role: Retired}, {Kid: "ed", Role: Signer}}},
			"ec=retired/ES256 ed=signer/EdDSA"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es, err := EntriesFrom(workspaceOf(t, c.keys, c.notes), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := entryRoles(es); got != c.want {
				t.Fatalf("roles\n got %s\nwant %s", got, c.want)
			}
			if _, err := New(Config{}, es); err != nil {
				t.Fatalf("the issuer refuses the entries: %v", err)
			}
		})
	}
}

// TestEntriesFromWorkspaceRefusals: what cannot be served is said, naming
// the key and what to do.
func TestEntriesFromWorkspaceRefusals(t *testing.T) {
	ec := wsKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256, KidStrategy: keys.KidCustom, CustomKid: "ec"})
	x := wsKey(t, keys.Spec{Kty: keys.KtyOKP, Crv: "X25519", Use: "enc", KidStrategy: keys.KidCustom, CustomKid: "x"})
	oct := wsKey(t, keys.Spec{Kty: keys.KtyOct, Alg: "HS256", KidStrategy: keys.KidCustom, CustomKid: "oct"})
	noKid := wsKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256})
	_ = noKid.Remove(jwk.KeyIDKey)
	cases := []struct {
		name string
		keys []jwk.Key
		opts FromWorkspace
		want string
	}{
		{"empty workspace", nil, FromWorkspace{}, "no key can sign"},
		{"only public keys", []jwk.Key{publicOnly(t, ec)}, FromWorkspace{}, "no key can sign"},
		{"only an HMAC secret (RFC 7518 §3.2, never served)", []jwk.Key{oct}, FromWorkspace{}, "no key can sign"},
		{"only an encryption key", []jwk.Key{x}, FromWorkspace{}, "no key can sign"},
		{"a key without kid", []jwk.Key{ec, noKid}, FromWorkspace{}, "key 2: it has no kid"},
		{"picked signer unknown", []jwk.Key{ec}, FromWorkspace{Signer: "zz"}, `no served key has kid "zz"`},
		{"picked signer cannot sign", []jwk.Key{ec, x}, FromWorkspace{Signer: "x"}, `kid "x" cannot sign`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := EntriesFrom(workspaceOf(t, c.keys, nil), c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if _, err := EntriesFrom(keyset.NewWorkspace(), FromWorkspace{}); !errors.Is(err, ErrNoSigningKey) {
		t.Fatalf("empty workspace: %v, want ErrNoSigningKey", err)
	}
}

// TestEntriesFromServesThePublicExport: the issuer's JWKS is the
// workspace's public export, key for key (RFC 7517 §5).
func TestEntriesFromServesThePublicExport(t *testing.T) {
	ec := wsKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256, KidStrategy: keys.KidCustom, CustomKid: "ec"})
	rsa := wsKey(t, keys.Spec{Kty: keys.KtyRSA, Size: 2048, KidStrategy: keys.KidCustom, CustomKid: "rsa"})
	x := wsKey(t, keys.Spec{Kty: keys.KtyOKP, Crv: "X25519", Use: "enc", KidStrategy: keys.KidCustom, CustomKid: "x"})
	oct := wsKey(t, keys.Spec{Kty: keys.KtyOct, Alg: "HS256", KidStrategy: keys.KidCustom, CustomKid: "oct"})
	ws := workspaceOf(t, []jwk.Key{ec, oct, publicOnly(t, rsa), x}, nil)
	es, err := EntriesFrom(ws, FromWorkspace{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{}, es)
	if err != nil {
		t.Fatal(err)
	}
	export, _, err := ws.ExportPublic()
	if err != nil {
		t.Fatal(err)
	}
	if a, b := canonicalSet(t, s.JWKS()), canonicalSet(t, export); a != b {
		t.Fatalf("served\n%s\nexport\n%s", a, b)
	}
}

// canonicalSet re-encodes a JWKS so member order and spacing do not count.
func canonicalSet(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// TestSigningKids: the signer picker's choices are the keys EntriesFrom
// would let sign: private, asymmetric, not for encryption (RFC 7517 §4.2),
// never an HMAC secret (RFC 7518 §3.2), with a kid.
func TestSigningKids(t *testing.T) {
	ec := wsKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256, KidStrategy: keys.KidCustom, CustomKid: "ec"})
	ed := wsKey(t, keys.Spec{Kty: keys.KtyOKP, Crv: "Ed25519", KidStrategy: keys.KidCustom, CustomKid: "ed"})
	x := wsKey(t, keys.Spec{Kty: keys.KtyOKP, Crv: "X25519", Use: "enc", KidStrategy: keys.KidCustom, CustomKid: "x"})
	oct := wsKey(t, keys.Spec{Kty: keys.KtyOct, Alg: "HS256", KidStrategy: keys.KidCustom, CustomKid: "oct"})
	ws := workspaceOf(t, []jwk.Key{oct, x, publicOnly(t, ed), ec}, nil)
	if got := SigningKids(ws); strings.Join(got, ",") != "ec" {
		t.Fatalf("SigningKids = %v, want [ec]", got)
	}
}
