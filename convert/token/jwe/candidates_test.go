package jwe

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// Each candidate gets one reason, the right one, in the order: kid, alg fit,
// own alg, use, key_ops, public half, RSA size; then the attempt.
func TestInspect_candidateReasons_RFC7516Section5_2(t *testing.T) {
	rsaA := withMembers(t, testKey(t, "RSA-2048"), map[string]any{"kid": "enc-1"})
	rsaB := withMembers(t, testKey(t, "RSA-2048b"), map[string]any{"kid": "enc-1"})
	oaep := jwxEncrypt(t, []byte(`{"sub":"alice"}`), "RSA-OAEP-256", "A256GCM", publicOf(t, rsaA), nil)
	p256 := withMembers(t, testKey(t, "P-256"), map[string]any{"kid": "ec-1"})
	ecdhP256 := jwxEncrypt(t, []byte("hi"), "ECDH-ES", "A128GCM", publicOf(t, p256), nil)
	x := withMembers(t, testKey(t, "X25519"), map[string]any{"kid": "x-1"})
	ecdhX := jwxEncrypt(t, []byte("hi"), "ECDH-ES+A256KW", "A256GCM", publicOf(t, x), nil)
	lowOrder := editHeader(t, ecdhX, func(m map[string]any) {
		m["epk"].(map[string]any)["x"] = base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	})
	a128kw := jwxEncrypt(t, []byte("hi"), "A128KW", "A128GCM", secretOf(16, 1), nil)
	dir := jwxEncrypt(t, []byte("hi"), "dir", "A256GCM", secretOf(32, 1), nil)
	pbes2 := jwxEncrypt(t, []byte("hi"), "PBES2-HS256+A128KW", "A128GCM", []byte("correct horse"), nil, pbesCount(1000))
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)

	cases := []struct {
		name   string
		token  string
		src    Source
		code   string
		detail string
	}{
		{"RFC7518_4.3_alg_needs_RSA_got_EC", oaep, OneKey("pasted key", p256), CodeAlgMismatch, "the key is EC P-256 and the token says RSA-OAEP-256 (RSA-OAEP-256 needs the RSA private key"},
		{"RFC7518_4.3_alg_needs_RSA_got_a_secret", oaep, SharedSecret(secretOf(32, 1)), CodeAlgMismatch, "a 32-byte shared secret cannot open RSA-OAEP-256 tokens"},
		{"RFC7518_4.6_ECDH-ES_epk_on_another_curve", ecdhP256, OneKey("pasted key", testKey(t, "P-384")), CodeAlgMismatch, "the key is EC P-384 and the token's epk is on P-256"},
		{"RFC7518_4.6_ECDH-ES_X25519_epk_with_an_EC_key", ecdhX, OneKey("pasted key", p256), CodeAlgMismatch, "the token's epk is on X25519"},
		{"RFC8037_3.2_ECDH-ES_with_Ed25519_a_signing_curve", ecdhX, OneKey("pasted key", mustKey(t, edPriv)), CodeAlgMismatch, "the key is OKP Ed25519 and the token says ECDH-ES+A256KW"},
		{"RFC7518_4.4_A128KW_needs_16_bytes", a128kw, OneKey("pasted key", octKey(t, 32, 1)), CodeAlgMismatch, "the key is a 32-byte oct key and the token says A128KW (A128KW needs a 16-byte shared key"},
		{"RFC7518_4.4_A128KW_with_a_passphrase", a128kw, Passphrase([]byte("x")), CodeAlgMismatch, "a passphrase cannot open A128KW tokens"},
		{"RFC7518_4.5_dir_A256GCM_needs_32_bytes", dir, SharedSecret(secretOf(16, 1)), CodeAlgMismatch, "a 16-byte shared secret cannot open dir tokens: dir with A256GCM needs the 32-byte shared content key"},
		{"RFC7518_4.8_PBES2_with_a_shared_secret", pbes2, SharedSecret([]byte("correct horse")), CodeAlgMismatch, "a 13-byte shared secret cannot open PBES2-HS256+A128KW tokens: PBES2-HS256+A128KW needs the passphrase"},
		{"RFC7518_4.8_PBES2_with_an_oct_key", pbes2, OneKey("pasted key", octKey(t, 16, 1)), CodeAlgMismatch, "an oct key is not a passphrase"},
		{"RFC7517_4.4_key_alg_differs", oaep, OneKey("pasted key", withMembers(t, rsaA, map[string]any{"alg": "RSA-OAEP"})), CodeKeyAlg, "key's own alg is RSA-OAEP, the token says RSA-OAEP-256"},
		{"RFC7517_4.4_key_alg_a_signature_alg", oaep, OneKey("pasted key", withMembers(t, rsaA, map[string]any{"alg": "RS256"})), CodeKeyAlg, "key's own alg is RS256"},
		{"RFC7517_4.2_use_sig", oaep, OneKey("pasted key", withMembers(t, rsaA, map[string]any{"use": "sig"})), CodeSigningKey, "use=sig: a signing key never decrypts"},
		{"RFC7517_4.3_key_ops_without_unwrapKey", oaep, OneKey("pasted key", withMembers(t, rsaA, map[string]any{"key_ops": []string{"encrypt", "wrapKey"}})), CodeKeyOps, "key_ops (encrypt, wrapKey) include none of unwrapKey, decrypt"},
		{"RFC7517_4.3_key_ops_ECDH_without_derive", ecdhP256, OneKey("pasted key", withMembers(t, p256, map[string]any{"key_ops": []string{"sign"}})), CodeKeyOps, "include none of deriveKey, deriveBits"},
		{"RFC7516_5.2_public_half", oaep, OneKey("pasted key", publicOf(t, rsaA)), CodePublicOnly, "this is the public half: decrypting needs the private key"},
		{"RFC7516_5.2_public_half_X25519", ecdhX, OneKey("pasted key", publicOf(t, x)), CodePublicOnly, "public half"},
		{"RFC7518_4.3_RSA_under_2048", oaep, OneKey("pasted key", testKey(t, "RSA-1024")), CodeRSASize, "RSA key is 1024 bits: under 2048 never decrypts"},
		{"RFC7516_5.2_opened", oaep, OneKey("pasted key", rsaA), CodeOpened, "the key opened the token"},
		{"RFC7517_4.3_key_ops_unwrapKey_opens", oaep, OneKey("pasted key", withMembers(t, rsaA, map[string]any{"key_ops": []string{"unwrapKey"}})), CodeOpened, "opened"},
		{"RFC7517_4.3_key_ops_deriveBits_opens_ECDH-ES", ecdhP256, OneKey("pasted key", withMembers(t, p256, map[string]any{"key_ops": []string{"deriveBits"}})), CodeOpened, "opened"},
		{"RFC7748_6.1_epk_a_low_order_X25519_point", lowOrder, OneKey("pasted key", x), CodeNotOpened, "the token's epk is a low-order X25519 point: every key agrees on an all-zero secret with it (RFC 7748 §6.1)"},
		{"RFC7518_4.3_RSA-OAEP_another_key", oaep, OneKey("pasted key", rsaB), CodeNotOpened, "RSA-OAEP-256 decryption of the encrypted key failed"},
		{"RFC7518_4.6_ECDH-ES_another_key_tag_mismatch", ecdhP256, OneKey("pasted key", testKey(t, "P-256b")), CodeNotOpened, "authentication tag mismatch"},
		{"RFC7518_4.6_ECDH-ES+A256KW_another_key_unwrap_fails", ecdhX, OneKey("pasted key", testKey(t, "X25519b")), CodeNotOpened, "unwrapping the content key failed (AES key wrap integrity check, RFC 3394)"},
		{"RFC7518_4.4_A128KW_another_key", a128kw, SharedSecret(secretOf(16, 2)), CodeNotOpened, "unwrapping the content key failed"},
		{"RFC7518_4.5_dir_another_secret", dir, SharedSecret(secretOf(32, 2)), CodeNotOpened, "authentication tag mismatch"},
		{"RFC7518_4.8_PBES2_wrong_passphrase", pbes2, Passphrase([]byte("wrong horse")), CodeNotOpened, "wrong passphrase"},
		{"RFC7518_4.8_PBES2_right_passphrase", pbes2, Passphrase([]byte("correct horse")), CodeOpened, "opened"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustInspect(t, c.token, c.src, Options{})
			if len(r.Candidates) != 1 {
				t.Fatalf("candidates = %+v, want 1", r.Candidates)
			}
			got := r.Candidates[0]
			if got.Code != c.code || !strings.Contains(got.Outcome, c.detail) {
				t.Fatalf("candidate = %s %q, want %s %q", got.Code, got.Outcome, c.code, c.detail)
			}
			if (c.code == CodeOpened) != r.Decrypted || (c.code == CodeOpened) != got.Decrypted {
				t.Errorf("decrypted = %v, candidate decrypted = %v", r.Decrypted, got.Decrypted)
			}
			if !r.Decrypted && r.Reason != got.Outcome {
				t.Errorf("reason %q, want the one candidate's %q", r.Reason, got.Outcome)
			}
			tried := c.code == CodeOpened || c.code == CodeNotOpened
			if got.Tried != tried {
				t.Errorf("tried = %v, want %v", got.Tried, tried)
			}
		})
	}
}

// kidCase is one scenario of the kid rules and what the report must say.
type kidCase struct {
	name      string
	token     string
	src       Source
	decrypted bool
	codes     []string       // the candidates' codes, in order
	reason    string         // a fragment of the reason ("" when decrypted)
	outcomes  map[int]string // fragments of candidates' outcomes
	verdict   string         // a fragment of the verdict
	warning   string         // a fragment of a warning
}

// The kid rules for a set (DESIGN.md, as for JWS): candidates by kid;
// ambiguity when different keys share the token's kid; a kid not in the
// set explained, with keys without kid tried; no kid: every key; one key
// given directly: tried whatever its kid.
func TestInspect_keySetKidRules_RFC7516Section4_1_6(t *testing.T) {
	rsaA := withMembers(t, testKey(t, "RSA-2048"), map[string]any{"kid": "enc-1"})
	rsaB := withMembers(t, testKey(t, "RSA-2048b"), map[string]any{"kid": "enc-1"})
	other := withMembers(t, testKey(t, "RSA-2048b"), map[string]any{"kid": "enc-2"})
	withKid := jwxEncrypt(t, []byte("hi"), "RSA-OAEP-256", "A256GCM", publicOf(t, rsaA), nil)
	noKidKey, _ := rsaA.Clone()
	_ = noKidKey.Remove("kid")
	noKid := jwxEncrypt(t, []byte("hi"), "RSA-OAEP-256", "A256GCM", publicOf(t, noKidKey), nil)
	wrong, _ := testKey(t, "RSA-2048b").Clone()
	twin := withMembers(t, wrong, map[string]any{"use": "enc"})
	tpA := describe(0, rsaA, true).thumb
	set := func(keys ...jwk.Key) Source { return KeySet("JWKS workspace", keys) }
	cases := []kidCase{
		{name: "kid_picks_the_key_others_are_not_candidates", token: withKid, src: set(other, rsaA), decrypted: true,
			codes: []string{CodeOpened}, verdict: `Decrypted with kid "enc-1" (RSA-OAEP-256, A256GCM)`},
		{name: "ambiguous_kid_not_decrypted_says_which_opens", token: withKid, src: set(rsaB, rsaA),
			codes:    []string{CodeNotOpened, CodeOpened},
			outcomes: map[int]string{1: "two keys share this kid: this one opens the token, but a typical recipient tries only one of them"},
			reason:   `kid "enc-1" is ambiguous: 2 different keys in the JWKS workspace share it; candidate 2 (thumbprint ` + tpA + `) opens the token`},
		{name: "the_same_key_private_and_public_is_not_ambiguous", token: withKid, src: set(publicOf(t, rsaA), rsaA), decrypted: true,
			codes: []string{CodePublicOnly, CodeOpened}, outcomes: map[int]string{0: "kid matches, but this is the public half"}},
		{name: "the_same_key_twice_is_tried_once", token: noKid, src: set(wrong, twin, noKidKey), decrypted: true,
			codes: []string{CodeNotOpened, CodeNotOpened, CodeOpened}, outcomes: map[int]string{1: "the same key as candidate 1: "},
			verdict: "Decrypted with the key without kid (thumbprint " + tpA + ")"},
		{name: "after_the_key_that_opens_the_rest_is_not_tried", token: noKid, src: set(noKidKey, wrong), decrypted: true,
			codes: []string{CodeOpened, CodeNotTried}, outcomes: map[int]string{1: "not tried: candidate 1 already opens the token"}},
		{name: "kid_not_in_the_set_keys_listed_keyless_key_tried", token: withKid, src: set(other, noKidKey),
			codes:    []string{CodeWrongKid, CodeOpened},
			outcomes: map[int]string{0: `wrong kid: the key's kid is "enc-2", the token names "enc-1"`, 1: `key has no kid: it opens the token, but a recipient looking up kid "enc-1" will not pick it`},
			reason:   `kid "enc-1" is not in the JWKS workspace (it has: "enc-2", 1 key without kid); a key without kid opens it: give it the kid "enc-1"`},
		{name: "kid_not_in_the_set_nothing_opens", token: withKid, src: set(other),
			codes: []string{CodeWrongKid}, reason: `kid "enc-1" is not in the JWKS workspace (it has: "enc-2")`},
		{name: "one_key_given_directly_is_tried_whatever_its_kid", token: withKid, src: OneKey("pasted key", withMembers(t, rsaA, map[string]any{"kid": "renamed"})),
			decrypted: true, codes: []string{CodeOpened}, warning: `the key you gave has kid "renamed": it was tried all the same`},
		{name: "no_keys", token: withKid, src: set(), reason: "no keys to decrypt with: the JWKS workspace is empty"},
		{name: "an_empty_passphrase", token: withKid, src: Passphrase(nil), reason: "no keys to decrypt with: the passphrase is empty; give the private key"},
		{name: "an_empty_secret", token: withKid, src: SharedSecret([]byte{}), reason: "no keys to decrypt with: the shared secret is empty"},
		{name: "dir_without_a_secret", token: jwxEncrypt(t, []byte("hi"), "dir", "A256GCM", secretOf(32, 1), nil), src: set(rsaA, other),
			codes:  []string{CodeAlgMismatch, CodeAlgMismatch},
			reason: "none of the 2 keys of the JWKS workspace can open it: dir with A256GCM needs the 32-byte shared content key (an oct JWK or a secret)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkKidCase(t, c, mustInspect(t, c.token, c.src, Options{})) })
	}
}

func checkKidCase(t *testing.T, c kidCase, r *Report) {
	t.Helper()
	if r.Decrypted != c.decrypted || (r.Plaintext != nil) != c.decrypted {
		t.Fatalf("decrypted=%v plaintext=%q reason=%q", r.Decrypted, r.Plaintext, r.Reason)
	}
	if got := codes(r); !slices.Equal(got, c.codes) && !(len(got) == 0 && c.codes == nil) {
		t.Fatalf("codes %v, want %v", got, c.codes)
	}
	if !strings.Contains(r.Reason, c.reason) || (c.reason == "") != (r.Reason == "") {
		t.Errorf("reason %q\nwant   %q", r.Reason, c.reason)
	}
	checkKidDetails(t, c, r)
}

func checkKidDetails(t *testing.T, c kidCase, r *Report) {
	t.Helper()
	for i, frag := range c.outcomes {
		if !strings.Contains(r.Candidates[i].Outcome, frag) {
			t.Errorf("candidate %d: %q lacks %q", i+1, r.Candidates[i].Outcome, frag)
		}
	}
	if !strings.Contains(r.Verdict, c.verdict) {
		t.Errorf("verdict %q lacks %q", r.Verdict, c.verdict)
	}
	if c.warning != "" && !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, c.warning) }) {
		t.Errorf("warnings %q lack %q", r.Warnings, c.warning)
	}
	if i := slices.IndexFunc(r.Candidates, func(c Candidate) bool { return c.Decrypted }); r.Decrypted && (i < 0 || r.KeyThumb == "" || r.KeyThumb != r.Candidates[i].Thumbprint) {
		t.Errorf("key thumbprint %q, candidates %+v", r.KeyThumb, r.Candidates)
	}
}

// The decryption work per token is bounded, and the report says when the
// bound was hit: 300 keys without kid for a token without kid, the right
// one last.
func TestInspect_workBoundSaysSo(t *testing.T) {
	right := secretOf(16, 0xee)
	tok := jwxEncrypt(t, []byte("hi"), "A128KW", "A128GCM", right, nil)
	var keys []jwk.Key
	for i := range 299 {
		k := secretOf(16, 1)
		k[0], k[1] = byte(i), byte(i>>8) // 299 different keys
		keys = append(keys, mustKey(t, k))
	}
	keys = append(keys, mustKey(t, right))
	r := mustInspect(t, tok, KeySet("JWKS workspace", keys), Options{})
	if r.Decrypted {
		t.Fatal("decrypted past the work bound")
	}
	notTried := 0
	for _, c := range r.Candidates {
		if c.Code == CodeNotTried {
			notTried++
		}
	}
	if notTried == 0 || !strings.Contains(r.Reason, "the decryption work allowed per token (that of 256 RSA-2048 decryptions) was used up") {
		t.Fatalf("not tried %d, reason %q", notTried, r.Reason)
	}
	if b, err := json.Marshal(r); err != nil || len(b) == 0 {
		t.Fatal(err)
	}
}
