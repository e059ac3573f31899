package jwe

import (
	"strings"
	"testing"
)

// sourceOf is the source a vector is decrypted with: its password, or its
// key given directly.
func sourceOf(t *testing.T, v vector) Source {
	t.Helper()
	if v.Pwd != "" {
		return Passphrase([]byte(v.Pwd))
	}
	return OneKey("pasted key", mustKey(t, v.Key))
}

// The published examples decrypt to their published plaintexts; RSA1_5 ones
// only with the opt-in.
func TestInspect_RFC7516AppendixA_and_RFC7520Section5_decryptToPublishedPlaintext(t *testing.T) {
	vectors := append(rfc7516Vectors(t), rfc7520Vectors(t)...)
	n := 0
	for _, v := range vectors {
		if v.Compact == "" {
			continue // only the JSON serialization is published (RFC 7520 §5.13)
		}
		n++
		t.Run(strings.ReplaceAll(v.Section, " ", "_")+"_"+v.Alg+"_"+v.Enc, func(t *testing.T) {
			r := mustInspect(t, v.Compact, sourceOf(t, v), Options{AllowRSA1_5: true})
			if !r.Decrypted {
				t.Fatalf("not decrypted: %s\n%+v", r.Reason, r.Candidates)
			}
			if string(r.Plaintext) != v.Plaintext {
				t.Fatalf("plaintext = %q, want %q", r.Plaintext, v.Plaintext)
			}
			if r.Alg != v.Alg || r.Enc != v.Enc {
				t.Errorf("alg/enc = %s/%s, want %s/%s", r.Alg, r.Enc, v.Alg, v.Enc)
			}
			if len(r.Candidates) != 1 || r.Candidates[0].Code != CodeOpened || !r.Candidates[0].Decrypted {
				t.Errorf("candidates = %+v, want one that opened it", r.Candidates)
			}
		})
	}
	if n != 12 {
		t.Fatalf("%d vectors with a compact serialization, want 12 (RFC 7516 A.1–A.3, RFC 7520 §5.1–§5.9)", n)
	}
}

// In a key set, the kid picks the key: every RFC 7520 vector's key, all in
// one set, opens its own token and only that one.
func TestInspect_RFC7520Section5_keySetByKid(t *testing.T) {
	var all []vector
	for _, v := range rfc7520Vectors(t) {
		if v.Compact != "" && v.Pwd == "" {
			all = append(all, v)
		}
	}
	src := KeySet("JWKS workspace", nil)
	for _, v := range all {
		src.keys = append(src.keys, mustKey(t, v.Key))
	}
	for _, v := range all {
		t.Run(strings.ReplaceAll(v.Section, " ", "_"), func(t *testing.T) {
			r := mustInspect(t, v.Compact, src, Options{AllowRSA1_5: true})
			if !r.Decrypted || string(r.Plaintext) != v.Plaintext {
				t.Fatalf("decrypted=%v reason=%q", r.Decrypted, r.Reason)
			}
			// §5.8 and §5.9 share their key: one key, listed twice, is not ambiguous.
			for _, c := range r.Candidates {
				if c.Kid != r.Kid {
					t.Errorf("candidate with kid %q for a token with kid %q", c.Kid, r.Kid)
				}
			}
		})
	}
}

// RSA1_5 is refused, with its reason and nothing decrypted, unless the
// caller opts in (RFC 8725 §3.2: Bleichenbacher).
func TestInspect_RSA1_5_refusedWithoutOptIn_RFC7516A2_RFC7520Section5_1(t *testing.T) {
	for _, v := range append(rfc7516Vectors(t), rfc7520Vectors(t)...) {
		if v.Alg != "RSA1_5" || v.Compact == "" {
			continue
		}
		t.Run(strings.ReplaceAll(v.Section, " ", "_"), func(t *testing.T) {
			r := mustInspect(t, v.Compact, sourceOf(t, v), Options{})
			if r.Decrypted || r.Plaintext != nil || len(r.Candidates) != 0 {
				t.Fatalf("RSA1_5 decrypted without the opt-in: %+v", r)
			}
			if !strings.Contains(r.Reason, "RSA1_5") || !strings.Contains(r.Reason, "Bleichenbacher") || !strings.Contains(r.Reason, "allow RSA1_5") {
				t.Errorf("reason = %q: want RSA1_5, Bleichenbacher and the opt-in named", r.Reason)
			}
			if r.Alg != "RSA1_5" || r.Kid != strings.TrimSpace(r.Kid) {
				t.Errorf("header not shown: %+v", r)
			}
		})
	}
}

// Only the compact form is read: the JSON serializations (general with
// several recipients, RFC 7520 §5.13; flattened, §5.2) are refused with a
// message that says so and what to do.
func TestInspect_JSONSerialization_refused_RFC7516Section7_2(t *testing.T) {
	var cases []struct{ name, token string }
	for _, v := range rfc7520Vectors(t) {
		if len(v.JSON) > 0 {
			cases = append(cases, struct{ name, token string }{v.Section + " general", string(v.JSON)})
		}
		if len(v.JSONFlat) > 0 && v.Name == "5.2" {
			cases = append(cases, struct{ name, token string }{v.Section + " flattened", string(v.JSONFlat)})
		}
	}
	if len(cases) < 3 {
		t.Fatalf("only %d JSON serializations found", len(cases))
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			r, err := Inspect("  "+c.token+"\n", KeySet("JWKS workspace", nil), Options{})
			if err == nil || r != nil {
				t.Fatalf("JSON serialization read: %+v", r)
			}
			if !strings.Contains(err.Error(), "JSON serialization") || !strings.Contains(err.Error(), "compact") {
				t.Errorf("error = %q", err)
			}
		})
	}
}
