package encjwk_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
	"github.com/jwkdesk/jwkdesk/interop"
)

// joseJWE is what jose's encrypt ops answer: a compact token or a JSON JWE.
type joseJWE struct {
	Token string          `json:"token"`
	JWE   json.RawMessage `json:"jwe"`
}

func (j joseJWE) bytes() []byte {
	if j.Token != "" {
		return []byte(j.Token)
	}
	return j.JWE
}

// TestJoseEncryptsWeOpen: node jose (the reference) encrypts a JWK or JWK
// Set with a passphrase, in each PBES2 algorithm (RFC 7518 §4.8) and
// serialization (RFC 7516 §7), and Open reads it; a wrong passphrase is
// ErrWrongPassphrase, and jose's general form with two recipients is
// refused as such.
func TestJoseEncryptsWeOpen(t *testing.T) {
	interop.Require(t)
	key, set := keys(t)
	pass := map[string]any{"passphrase": string(testPass)}
	type joseCase struct {
		name      string
		req       map[string]any
		plaintext []byte
		form      encjwk.Form
		content   encjwk.Content
		p2c       int64
		want      error
	}
	var cases []joseCase
	for _, alg := range pbes2Algs {
		for op, form := range map[string]encjwk.Form{"encryptFlattened": encjwk.FormFlattened, "encrypt": encjwk.FormCompact} {
			cases = append(cases, joseCase{"RFC7518_4.8/" + alg + "/" + form.String(), map[string]any{"op": op, "alg": alg, "enc": "A256GCM",
				"header": map[string]any{"cty": "jwk+json"}, "key": pass, "p2c": 10_000, "plaintext": string(key)}, key, form, encjwk.ContentJWK, 10_000, nil})
		}
	}
	cases = append(cases,
		joseCase{"RFC7517_8.5.2/JWK Set, A128CBC-HS256", map[string]any{"op": "encryptFlattened", "alg": "PBES2-HS512+A256KW", "enc": "A128CBC-HS256",
			"header": map[string]any{"cty": "jwk-set+json"}, "key": pass, "p2c": 100_000, "plaintext": string(set)}, set, encjwk.FormFlattened, encjwk.ContentJWKS, 100_000, nil},
		joseCase{"RFC7518_4.8.1.2/jose's default p2c", map[string]any{"op": "encrypt", "alg": "PBES2-HS256+A128KW", "enc": "A128GCM",
			"header": map[string]any{"cty": "jwk+json"}, "key": pass, "plaintext": string(key)}, key, encjwk.FormCompact, encjwk.ContentJWK, 2048, nil},
		joseCase{"RFC7516_4.1.12/no cty", map[string]any{"op": "encryptFlattened", "alg": "PBES2-HS256+A128KW", "enc": "A256GCM",
			"key": pass, "p2c": 10_000, "plaintext": string(key)}, key, encjwk.FormFlattened, encjwk.ContentJWK, 10_000, nil},
		joseCase{"RFC7516_7.2.1/general, one recipient", map[string]any{"op": "encryptJSON", "general": true, "protected": map[string]any{"alg": "PBES2-HS384+A192KW", "enc": "A256GCM", "cty": "jwk+json"},
			"passphrases": []string{string(testPass)}, "p2c": 10_000, "plaintext": string(key)}, key, encjwk.FormGeneral, encjwk.ContentJWK, 10_000, nil},
		joseCase{"RFC7516_7.2.1/alg in the recipient's header", map[string]any{"op": "encryptJSON", "protected": map[string]any{"enc": "A256GCM", "cty": "jwk+json"},
			"header": map[string]any{"alg": "PBES2-HS256+A128KW"}, "key": pass, "p2c": 10_000, "plaintext": string(key)}, key, encjwk.FormFlattened, encjwk.ContentJWK, 10_000, nil},
		joseCase{"RFC7516_7.2.1/general, two recipients", map[string]any{"op": "encryptJSON", "general": true, "protected": map[string]any{"alg": "PBES2-HS256+A128KW", "enc": "A256GCM", "cty": "jwk+json"},
			"passphrases": []string{string(testPass), "another"}, "p2c": 10_000, "plaintext": string(key)}, nil, encjwk.FormGeneral, 0, 0, encjwk.ErrUnsupported},
	)
	reqs, resps := make([]any, len(cases)), make([]any, len(cases))
	outs := make([]joseJWE, len(cases))
	for i, c := range cases {
		reqs[i], resps[i] = c.req, &outs[i]
	}
	interop.MustRunBatch(t, reqs, resps)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := outs[i].bytes()
			plain, info, err := encjwk.Open(in, testPass, encjwk.OpenOptions{})
			wantKind(t, err, c.want)
			if c.want != nil {
				return
			}
			if string(plain) != string(c.plaintext) || info.Form != c.form || info.Content != c.content || info.P2C != c.p2c {
				t.Fatalf("info %+v", info)
			}
			_, _, err = encjwk.Open(in, []byte("not it"), encjwk.OpenOptions{})
			wantKind(t, err, encjwk.ErrWrongPassphrase)
		})
	}
}

type joseDecrypted struct {
	Header    map[string]any `json:"header"`
	Plaintext string         `json:"plaintext"`
}

// TestWeSealJoseOpens: node jose decrypts each of Seal's test files
// (sealCases: each PBES2 algorithm, both forms, a JWK and a JWK Set) and
// sees their cty. jose 6 reads PBES2 only when asked to
// (keyManagementAlgorithms) and caps p2c at 10,000 by default: a jose user
// reading our files (p2c 600,000) passes both options. Without them jose
// refuses — checked too, so the day jose changes its defaults this test
// says so.
func TestWeSealJoseOpens(t *testing.T) {
	interop.Require(t)
	files := sealed(t)
	pass := map[string]any{"passphrase": string(testPass)}
	request := func(sealed []byte, options map[string]any) map[string]any {
		req := map[string]any{"key": pass}
		for k, v := range options {
			req[k] = v
		}
		if sealed[0] != '{' {
			req["op"], req["token"] = "decrypt", string(sealed)
		} else {
			req["op"], req["jwe"] = "decryptJSON", json.RawMessage(sealed)
		}
		return req
	}
	var reqs, resps []any
	outs := make([]joseDecrypted, len(sealCases))
	for i, c := range sealCases {
		reqs = append(reqs, request(files[i], map[string]any{"keyManagementAlgorithms": []string{c.alg}, "maxPBES2Count": encjwk.ReadCap}))
		resps = append(resps, &outs[i])
	}
	// jose's defaults, on the first file: PBES2 not allowed; allowed, but
	// p2c over 10,000.
	reqs = append(reqs, request(files[0], nil), request(files[0], map[string]any{"keyManagementAlgorithms": []string{encjwk.DefaultAlg}}))
	resps = append(resps, nil, nil)
	errs, err := interop.RunBatch(reqs, resps)
	if err != nil {
		t.Fatalf("interop: %v", err)
	}
	for i, c := range sealCases {
		t.Run(c.name, func(t *testing.T) {
			if errs[i] != nil {
				t.Fatalf("jose refused our file: %v", errs[i])
			}
			if outs[i].Plaintext != string(c.plaintext(t)) || outs[i].Header["cty"] != c.cty || outs[i].Header["enc"] != "A256GCM" || outs[i].Header["alg"] != c.alg {
				t.Fatalf("jose read header %v", outs[i].Header)
			}
		})
	}
	for i, code := range []string{"ERR_JOSE_ALG_NOT_ALLOWED", "ERR_JWE_INVALID"} {
		var joseErr *interop.Error
		if e := errs[len(sealCases)+i]; !errors.As(e, &joseErr) || joseErr.Code != code {
			t.Errorf("jose's defaults: got %v, want its refusal %s", e, code)
		}
	}
}
