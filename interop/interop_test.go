package interop_test

import (
	"encoding/json"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/token"

	"github.com/jwkdesk/jwkdesk/convert/keys"

	"github.com/jwkdesk/jwkdesk/interop"
)

type generated struct {
	JWK    map[string]any `json:"jwk"`
	Public map[string]any `json:"public"`
}

// TestJoseSignsJWKDeskVerifies: for every signature algorithm both sides
// support, jose makes the key and the token, and JWK Desk verifies the token
// against jose's public JWK — and refuses it once a byte of the payload
// changes.
func TestJoseSignsJWKDeskVerifies(t *testing.T) {
	interop.Require(t)
	algs := []struct{ alg, crv string }{
		{"RS256", ""}, {"RS384", ""}, {"RS512", ""}, {"PS256", ""}, {"PS384", ""}, {"PS512", ""},
		{"ES256", ""}, {"ES384", ""}, {"ES512", ""}, {"EdDSA", "Ed25519"}, {"HS256", ""}, {"HS512", ""},
	}
	gens := make([]generated, len(algs))
	reqs, resps := make([]any, len(algs)), make([]any, len(algs))
	for i, a := range algs {
		reqs[i], resps[i] = map[string]any{"op": "generate", "alg": a.alg, "crv": a.crv}, &gens[i]
	}
	interop.MustRunBatch(t, reqs, resps)

	tokens := make([]struct{ Token string }, len(algs))
	for i, a := range algs {
		kid := "jose-" + a.alg
		gens[i].JWK["kid"] = kid
		reqs[i] = map[string]any{"op": "sign", "alg": a.alg, "key": gens[i].JWK,
			"claims": map[string]any{"sub": "interop"}, "header": map[string]any{"kid": kid}}
		resps[i] = &tokens[i]
	}
	interop.MustRunBatch(t, reqs, resps)

	for i, a := range algs {
		t.Run(a.alg, func(t *testing.T) {
			verifyWith := gens[i].Public
			if verifyWith == nil { // a secret: the JWK is the key
				verifyWith = gens[i].JWK
			}
			verifyWith["kid"] = "jose-" + a.alg
			raw, _ := json.Marshal(map[string]any{"keys": []any{verifyWith}})
			keys, err := keys.ParseKeys(raw)
			if err != nil {
				t.Fatalf("JWK Desk cannot read jose's key: %v\n%s", err, raw)
			}
			src := token.NewKeySource("jose's keys", keys)
			r, err := token.Inspect(tokens[i].Token, src, token.InspectOptions{})
			if err != nil || !r.Verified {
				t.Fatalf("jose's %s token not verified: err %v, report %+v", a.alg, err, r)
			}
			tampered := []byte(tokens[i].Token)
			tampered[len(tampered)/2] ^= 1 // inside the payload
			if r, err := token.Inspect(string(tampered), src, token.InspectOptions{}); err == nil && r.Verified {
				t.Fatalf("a tampered %s token verified", a.alg)
			}
		})
	}
}

// TestJWKDeskSignsJoseVerifies: a token JWK Desk signs with a key it
// generated verifies with jose against JWK Desk's public JWKS.
func TestJWKDeskSignsJoseVerifies(t *testing.T) {
	interop.Require(t)
	specs := []keys.Spec{
		{Kty: keys.KtyRSA, Size: 2048, Alg: "RS256"},
		{Kty: keys.KtyRSA, Size: 2048, Alg: "PS256"},
		{Kty: keys.KtyEC, Crv: "P-256"},
		{Kty: keys.KtyEC, Crv: "P-384"},
		{Kty: keys.KtyEC, Crv: "P-521"},
		{Kty: keys.KtyOKP, Crv: "Ed25519"},
	}
	reqs, resps := make([]any, len(specs)), make([]any, len(specs))
	for i, spec := range specs {
		g, err := keys.Generate(spec)
		if err != nil {
			t.Fatalf("generate %+v: %v", spec, err)
		}
		token, err := token.Sign(g.Private, []byte(`{"sub":"jwkdesk"}`), "")
		if err != nil {
			t.Fatalf("sign with %+v: %v", spec, err)
		}
		jwks, err := keys.MarshalPublicJWKS(g.Private)
		if err != nil {
			t.Fatal(err)
		}
		var set map[string]any
		if err := json.Unmarshal(jwks, &set); err != nil {
			t.Fatal(err)
		}
		reqs[i] = map[string]any{"op": "verify", "token": token, "jwks": set}
		resps[i] = &struct{ Plaintext string }{}
	}
	errs, err := interop.RunBatch(reqs, resps)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("jose refuses JWK Desk's %+v token: %v", specs[i], e)
		}
	}
}
