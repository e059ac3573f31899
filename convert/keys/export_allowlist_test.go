package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

// publicOutputs writes key through every public writer of a key or set
// (the workspace's outputs are these: keyset's TestWorkspaceWritesTheKeysPublicForm).
func publicOutputs(t *testing.T, key jwk.Key) map[string][]byte {
	t.Helper()
	outs := map[string][]byte{}
	var err error
	if outs["MarshalPublicJWK (convert --public, generate --public, PEM / JWK tab)"], err = MarshalPublicJWK(key); err != nil {
		t.Fatal(err)
	}
	if outs["MarshalPublicJWKS (convert --public --to jwks)"], err = MarshalPublicJWKS(key); err != nil {
		t.Fatal(err)
	}
	if outs["ExportPublicJWKS (jwkdesk jwks)"], _, err = ExportPublicJWKS([]jwk.Key{key}); err != nil {
		t.Fatal(err)
	}
	return outs
}

// TestPublicFormAllowList_RFC7517_4 is issue 22 item 2: members jwx copies
// because it does not know them — a secret "k" or an RSA "dp" on an EC
// key, RSA's multi-prime "oth" — never reach a public output, and members
// outside the allow-list are dropped and counted.
func TestPublicFormAllowList_RFC7517_4(t *testing.T) {
	r, _ := testkit.RSAPair(t)
	ec := testkit.EC(t)
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	oth := []any{map[string]any{"r": "AQAB", "d": "AQAB", "t": "AQAB"}} // RFC 7518 §6.3.2.7
	cases := []struct {
		name        string
		key         jwk.Key
		kty         string
		wantPrivate []string // private members left out
		wantOther   []string // other members left out
	}{
		{"EC private key carrying an oct k and an RSA dp (RFC 7518 §6.2.2)", testkit.WithMembers(t, testkit.Key(t, ec, map[string]any{"kid": "ec"}), map[string]any{"k": "c2VjcmV0", "dp": "AQAB"}),
			KtyEC, []string{"d", "dp", "k"}, nil},
		{"EC public key carrying k (RFC 7518 §6.4.1)", testkit.WithMembers(t, testkit.Key(t, &ec.PublicKey, map[string]any{"kid": "ec"}), map[string]any{"k": "c2VjcmV0"}),
			KtyEC, []string{"k"}, nil},
		{"RSA multi-prime private key with oth (RFC 7518 §6.3.2.7)", testkit.WithMembers(t, testkit.Key(t, r, map[string]any{"kid": "rsa"}), map[string]any{"oth": oth}),
			KtyRSA, []string{"d", "dp", "dq", "oth", "p", "q", "qi"}, nil},
		{"RSA public key with oth and stray r, t (RFC 7518 §6.3.2.7)", testkit.WithMembers(t, testkit.Key(t, &r.PublicKey, map[string]any{"kid": "rsa"}), map[string]any{"oth": oth, "r": "AQAB", "t": "AQAB"}),
			KtyRSA, []string{"oth", "r", "t"}, nil},
		{"OKP private key with k and q (RFC 8037 §2)", testkit.WithMembers(t, testkit.Key(t, edPriv, map[string]any{"kid": "ed"}), map[string]any{"k": "c2VjcmV0", "q": "AQAB"}),
			KtyOKP, []string{"d", "k", "q"}, nil},
		{"EC key with a null member, on which jwx's PublicKey fails (RFC 7517 §4)", testkit.WithMembers(t, testkit.Key(t, &ec.PublicKey, map[string]any{"kid": "null"}), map[string]any{"foo": nil}),
			KtyEC, nil, []string{"foo"}},
		{"Entra-like key: issuer kept, acr/status/exp dropped (RFC 7517 §4)", testkit.WithMembers(t, testkit.Key(t, &r.PublicKey, map[string]any{"kid": "entra", "use": "sig", "x5t": "abc"}),
			map[string]any{"issuer": "https://login.example.com/tenant/v2.0", "acr": "1", "status": "active", "exp": "AQAB"}),
			KtyRSA, nil, []string{"acr", "exp", "status"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := json.Marshal(c.key)
			pub, d, err := PublicForm(c.key)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.Private, c.wantPrivate) || !slices.Equal(d.Other, c.wantOther) {
				t.Errorf("dropped %+v, want private %v other %v", d, c.wantPrivate, c.wantOther)
			}
			if after, _ := json.Marshal(c.key); !bytes.Equal(before, after) {
				t.Error("PublicForm changed the key it was given")
			}
			if pub.KeyType().String() != c.kty || IsPrivate(pub) {
				t.Errorf("public form %v private=%v", pub.KeyType(), IsPrivate(pub))
			}
			for what, out := range publicOutputs(t, c.key) {
				for _, names := range testkit.MemberNames(t, out) {
					for _, n := range names {
						if !publicMember(c.kty, n) || IsPrivateMember(n) {
							t.Errorf("%s writes member %q:\n%s", what, n, out)
						}
					}
					if c.kty == KtyRSA && !slices.Contains(names, "n") || !slices.Contains(names, "kid") {
						t.Errorf("%s lost a public member: %v", what, names)
					}
					if strings.HasPrefix(c.name, "Entra") && !slices.Contains(names, "issuer") {
						t.Errorf("%s dropped the reviewed extra issuer: %v", what, names)
					}
				}
			}
			_, rep, _ := ExportPublicJWKS([]jwk.Key{c.key})
			if wantStripped := min(len(c.wantPrivate), 1); rep.PrivateStripped != wantStripped || rep.MembersDropped != len(c.wantOther) || !slices.Equal(rep.MemberNames, c.wantOther) {
				t.Errorf("report %+v", rep)
			}
			if len(c.wantOther) == 3 && !strings.Contains(rep.String(), `3 members outside the public allow-list dropped ("acr", "exp", "status")`) {
				t.Errorf("report line %q", rep.String())
			}
		})
	}
}

// TestPublicFormProperty_RFC7517_4 sets random members, private ones for
// any kty among them, on keys of every type, public and private, and checks
// every public output: only allow-listed members, never a private one, the
// key's own public members kept, everything else counted.
func TestPublicFormProperty_RFC7517_4(t *testing.T) {
	r, _ := testkit.RSAPair(t)
	ec := testkit.EC(t)
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	bases := []jwk.Key{
		testkit.Key(t, r, nil), testkit.Key(t, &r.PublicKey, nil),
		testkit.Key(t, ec, nil), testkit.Key(t, &ec.PublicKey, nil),
		testkit.Key(t, edPriv, nil), testkit.Key(t, edPriv.Public(), nil),
	}
	pool := append(slices.Clone(privateMembers), "issuer", "exp", "nbf", "iat", "ext", "acr", "status", "mod", "D", "K", "Kid", "X5C", "x5t#s256", "kid ", "", "keys", "__proto__", "n\u0000", "é")
	values := []any{"AQAB", "c2VjcmV0", 1, 1.5, true, nil, []any{"a", 1}, map[string]any{"d": "AQAB", "k": "x"}, ""}
	rng := mrand.New(mrand.NewPCG(22, 2)) // reproducible
	for i := range 400 {
		base := bases[rng.IntN(len(bases))]
		members := map[string]any{"kid": fmt.Sprintf("key-%d", i)}
		for range rng.IntN(7) {
			name := pool[rng.IntN(len(pool))]
			if rng.IntN(4) == 0 {
				name = randomName(rng)
			}
			members[name] = values[rng.IntN(len(values))]
		}
		key, err := base.Clone()
		if err != nil {
			t.Fatal(err)
		}
		var set []string
		for name, v := range members {
			if key.Set(name, v) == nil {
				set = append(set, name)
			}
		}
		kty := key.KeyType().String()
		var wantOther []string
		for _, name := range set {
			if !publicMember(kty, name) && !IsPrivateMember(name) {
				wantOther = append(wantOther, name)
			}
		}
		sort.Strings(wantOther)
		out, rep, err := ExportPublicJWKS([]jwk.Key{key})
		if err != nil {
			t.Fatalf("case %d (%v): %v", i, members, err)
		}
		if rep.MembersDropped != len(wantOther) {
			t.Errorf("case %d: %d members counted, want %v", i, rep.MembersDropped, wantOther)
		}
		outs := publicOutputs(t, key)
		outs["ExportPublicJWKS"] = out
		for what, o := range outs {
			for _, names := range testkit.MemberNames(t, o) {
				for _, n := range names {
					if !publicMember(kty, n) || IsPrivateMember(n) {
						t.Fatalf("case %d: %s writes %q (members %v)", i, what, n, members)
					}
				}
				for _, must := range publicKtyMembers[kty] {
					if !slices.Contains(names, must) {
						t.Fatalf("case %d: %s lost %q", i, what, must)
					}
				}
			}
		}
		for _, name := range set {
			if !key.Has(name) {
				t.Fatalf("case %d: the key lost %q", i, name)
			}
		}
	}
}

func randomName(rng *mrand.Rand) string {
	b := make([]byte, 1+rng.IntN(6))
	for i := range b {
		b[i] = "abcdkpqtxyDKPQ_#"[rng.IntN(16)]
	}
	return string(b)
}

// TestPublicFormGuard: the last check before writing refuses any member
// outside the allow-list.
func TestPublicFormGuard(t *testing.T) {
	for _, c := range []struct {
		kty, json string
		ok        bool
	}{
		{KtyEC, `{"kty":"EC","crv":"P-256","x":"a","y":"b","kid":"1","issuer":"i"}`, true},
		{KtyEC, `{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}`, false},
		{KtyEC, `{"kty":"EC","crv":"P-256","x":"a","y":"b","n":"c"}`, false}, // RSA's n on EC
		{KtyOKP, `{"kty":"OKP","crv":"Ed25519","x":"a","y":"b"}`, false},
		{KtyRSA, `{"kty":"RSA","n":"a","e":"b","oth":[]}`, false},
	} {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(c.json), &m); err != nil {
			t.Fatal(err)
		}
		if err := checkPublicMembers(c.kty, m); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.json, err)
		}
	}
	if _, _, err := PublicForm(testkit.Key(t, []byte("0123456789abcdef0123456789abcdef"), nil)); err != ErrNoPublicForm {
		t.Errorf("oct: %v", err)
	}
}
