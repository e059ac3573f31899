package keys

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/jwkdesk/jwkdesk/convert/input"
)

// Hostile key-derivation parameters, built as real ASN.1 (RFC 5958
// EncryptedPrivateKeyInfo, RFC 8018 PBES2) around a ciphertext that never
// gets decrypted: every one must be refused before any derivation runs.

var (
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidRC2CBC     = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 2}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
)

func testAlgID(tb testing.TB, oid asn1.ObjectIdentifier, params any) pkix.AlgorithmIdentifier {
	tb.Helper()
	b, err := asn1.Marshal(params)
	if err != nil {
		tb.Fatal(err)
	}
	return pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.RawValue{FullBytes: b}}
}

// pbkdf2Alg is PBKDF2 with iter iterations; prf nil leaves the PRF out
// (RFC 8018 §A.2: HMAC-SHA1 by default).
func pbkdf2Alg(tb testing.TB, iter any, prf asn1.ObjectIdentifier) pkix.AlgorithmIdentifier {
	salt := []byte("saltsalt")
	if prf == nil {
		return testAlgID(tb, oidPBKDF2, struct {
			Salt []byte
			Iter any
		}{salt, iter})
	}
	return testAlgID(tb, oidPBKDF2, struct {
		Salt []byte
		Iter any
		PRF  pkix.AlgorithmIdentifier
	}{salt, iter, pkix.AlgorithmIdentifier{Algorithm: prf, Parameters: asn1.NullRawValue}})
}

// scryptAlg is scrypt (RFC 7914 §7.1) with N, r, p (int64 or *big.Int).
func scryptAlg(tb testing.TB, n, r, p any) pkix.AlgorithmIdentifier {
	return testAlgID(tb, oidScrypt, struct {
		Salt    []byte
		N, R, P any
	}{[]byte("saltsalt"), n, r, p})
}

// pbes2DER is an EncryptedPrivateKeyInfo with kdf and cipher around 64
// bytes that are no ciphertext of anything (and no whitespace: Parse trims
// a binary input as it trims text).
func pbes2DER(tb testing.TB, kdf pkix.AlgorithmIdentifier, cipher asn1.ObjectIdentifier) []byte {
	tb.Helper()
	scheme := testAlgID(tb, cipher, bytes.Repeat([]byte{7}, 16))
	info := struct {
		Algo pkix.AlgorithmIdentifier
		Data []byte
	}{testAlgID(tb, oidPBES2, pbes2Params{KeyDerivationFunc: kdf, EncryptionScheme: scheme}), bytes.Repeat([]byte{0xa5}, 64)}
	b, err := asn1.Marshal(info)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func pbes2PEM(tb testing.TB, kdf pkix.AlgorithmIdentifier, cipher asn1.ObjectIdentifier) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: pbes2DER(tb, kdf, cipher)})
}

type hostileKDF struct {
	name string
	in   []byte
	want string
}

// hostileKDFInputs are the hostile parameters of every KDF the engine runs,
// each with the refusal it must get; FuzzParse takes them as seeds.
func hostileKDFInputs(tb testing.TB) []hostileKDF {
	huge := new(big.Int).Lsh(big.NewInt(1), 80)
	return []hostileKDF{
		{"RFC 8018 §5.2 PBKDF2-HMAC-SHA256 10,000,000 iterations (the old cap)",
			pbes2PEM(tb, pbkdf2Alg(tb, int64(10_000_000), oidHMACWithSHA256), oidAES256CBC),
			"asks for 10000000 PBKDF2 iterations (HMAC-SHA256), about 10 s of derivation on this machine, 5.0 times the 2000000 that fit in 2.0 s"},
		{"RFC 8018 §A.2 PBKDF2 default PRF HMAC-SHA1 for AES-256: two blocks per iteration",
			pbes2PEM(tb, pbkdf2Alg(tb, int64(1_000_000), nil), oidAES256CBC),
			"asks for 1000000 PBKDF2 iterations (HMAC-SHA1, each for 2 blocks of a 32-byte key), about 2.4 s of derivation on this machine, 1.2 times the 833333 that fit in 2.0 s"},
		{"RFC 8018 §A.2 PBKDF2 2^31-1 iterations",
			pbes2PEM(tb, pbkdf2Alg(tb, int64(1<<31-1), oidHMACSHA1), oidAES128CBC),
			"asks for 2147483647 PBKDF2 iterations (HMAC-SHA1), about 43 min of derivation"},
		{"RFC 8018 §A.2 PBKDF2 iteration count over 64 bits",
			pbes2PEM(tb, pbkdf2Alg(tb, huge, oidHMACWithSHA256), oidAES256CBC),
			"the PBKDF2 parameters of this encrypted key are damaged"},
		{"RFC 8018 §A.2 PBKDF2 zero iterations",
			pbes2PEM(tb, pbkdf2Alg(tb, int64(0), oidHMACWithSHA256), oidAES256CBC),
			"damaged: its PBKDF2 iteration count is 0"},
		{"RFC 8018 §B.1.2 PRF HMAC-SHA512, which the decrypter lacks",
			pbes2PEM(tb, pbkdf2Alg(tb, int64(2048), oidHMACSHA512), oidAES256CBC),
			"pseudo-random function 1.2.840.113549.2.11 of this encrypted key is not supported"},
		{"RFC 8018 §B.2 cipher RC2-CBC, which the decrypter lacks",
			pbes2PEM(tb, pbkdf2Alg(tb, int64(2048), oidHMACWithSHA256), oidRC2CBC),
			"the cipher 1.2.840.113549.3.2 of this encrypted key is not supported"},
		{"RFC 7914 §2 scrypt N=2^20 r=32 p=16 (issue 22: 150 s, 4.2 GB)",
			pbes2PEM(tb, scryptAlg(tb, int64(1<<20), int64(32), int64(16)), oidAES256CBC),
			"scrypt parameters (N=1048576, r=32, p=16) ask for 4 GiB of memory (128·N·r bytes), 16 times the 256 MiB accepted"},
		{"RFC 7914 §2 scrypt N=2^20 r=8 p=1: 1 GiB",
			pbes2PEM(tb, scryptAlg(tb, int64(1<<20), int64(8), int64(1)), oidAES256CBC),
			"ask for 1 GiB of memory (128·N·r bytes), 4.0 times the 256 MiB accepted"},
		{"RFC 7914 §2 scrypt N=2^14 r=8 p=32: little memory, much work",
			pbes2PEM(tb, scryptAlg(tb, int64(1<<14), int64(8), int64(32)), oidAES256CBC),
			"ask for N·r·p = 4194304 units of work, about 3.8 s on this machine, 1.9 times the 2222222 that fit in 2.0 s"},
		{"RFC 7914 §2 scrypt r=1 p=2^30: the memory is in p",
			pbes2PEM(tb, scryptAlg(tb, int64(2), int64(1), int64(1<<30)), oidAES256CBC),
			"ask for 128.0 GiB of memory for the lanes (128·r·(p+2) bytes), over 1000 times the 16 MiB accepted"},
		{"RFC 7914 §2 scrypt r=2^20 N=2: the memory is in r",
			pbes2PEM(tb, scryptAlg(tb, int64(2), int64(1<<20), int64(1)), oidAES256CBC),
			"ask for 384 MiB of memory for the lanes (128·r·(p+2) bytes), 24 times the 16 MiB accepted"},
		{"RFC 7914 §2 scrypt N, r, p near 2^62: no overflow",
			pbes2PEM(tb, scryptAlg(tb, int64(1<<62), int64(1<<62), int64(1<<62)), oidAES256CBC),
			"ask for over 1 EiB of memory (128·N·r bytes), over 1000 times the 256 MiB accepted"},
		{"RFC 7914 §2 scrypt N not a power of two",
			pbes2PEM(tb, scryptAlg(tb, int64(1000), int64(8), int64(1)), oidAES256CBC),
			"scrypt needs N a power of two over 1 and r, p at least 1, not N=1000 r=8 p=1"},
		{"RFC 7914 §2 scrypt N over 64 bits",
			pbes2PEM(tb, scryptAlg(tb, huge, int64(8), int64(1)), oidAES256CBC),
			"the scrypt parameters of this encrypted key are damaged"},
		{"PROTOCOL.key bcrypt_pbkdf 2^31 rounds",
			opensshWithRounds(tb, 1<<31),
			"asks for 2147483648 bcrypt rounds, about 298 days of derivation on this machine, over 1000 times the 166 that fit in 2.0 s"},
		{"PROTOCOL.key bcrypt_pbkdf 1000 rounds (the old cap: 7.2 s)",
			opensshWithRounds(tb, 1000),
			"asks for 1000 bcrypt rounds, about 12 s of derivation on this machine, 6.0 times the 166 that fit in 2.0 s"},
		{"PROTOCOL.key bcrypt_pbkdf one round over the cap",
			opensshWithRounds(tb, 167),
			"asks for 167 bcrypt rounds, about 2.0 s of derivation on this machine, 1.0 times the 166"},
		{"PROTOCOL.key bcrypt_pbkdf zero rounds",
			opensshWithRounds(tb, 0),
			"this OpenSSH key is damaged: it asks for 0 bcrypt rounds"},
	}
}

// Every hostile parameter is refused before deriving, with a message that
// names the parameter and by how much it is over — in PEM, in binary DER
// and in base64 DER (the DER reader used to hide the reason).
func TestKDFCapsRefuseBeforeDeriving(t *testing.T) {
	for _, c := range hostileKDFInputs(t) {
		inputs := map[string][]byte{"PEM": c.in}
		if block, _ := pem.Decode(c.in); block.Type == "ENCRYPTED PRIVATE KEY" {
			inputs["DER"] = block.Bytes
			inputs["base64 DER"] = []byte(base64.StdEncoding.EncodeToString(block.Bytes))
		}
		for enc, in := range inputs {
			t.Run(c.name+"/"+enc, func(t *testing.T) {
				derived := 0
				_, err := Parse(in, ParseOptions{Passphrase: []byte("x"), OnDerive: func(Derivation) { derived++ }})
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("got %v\nwant …%s…", err, c.want)
				}
				if derived != 0 || errors.Is(err, ErrWrongPassphrase) {
					t.Errorf("derived %d times before refusing (%v)", derived, err)
				}
			})
		}
	}
}

// Each cap admits its limit and refuses one more; the prices are the
// measured units of kdf_caps.go.
func TestKDFCapsAtTheLimit(t *testing.T) {
	type price func(int64) (Derivation, error)
	cases := []struct {
		name  string
		price price
		limit int64
	}{
		{"RFC 8018 §5.2 PBKDF2-HMAC-SHA1, 16-byte key (one block)", func(n int64) (Derivation, error) { return pbkdf2Derivation(n, "SHA1", 16) }, 1666666},
		{"RFC 8018 §5.2 PBKDF2-HMAC-SHA1, 24-byte key (two blocks)", func(n int64) (Derivation, error) { return pbkdf2Derivation(n, "SHA1", 24) }, 833333},
		{"RFC 8018 §5.2 PBKDF2-HMAC-SHA1, 32-byte key (two blocks)", func(n int64) (Derivation, error) { return pbkdf2Derivation(n, "SHA1", 32) }, 833333},
		{"RFC 8018 §5.2 PBKDF2-HMAC-SHA256, 32-byte key", func(n int64) (Derivation, error) { return pbkdf2Derivation(n, "SHA256", 32) }, 2000000},
		{"RFC 7914 §2 scrypt N=2^17 r=8, p (work)", func(n int64) (Derivation, error) { return scryptDerivation(1<<17, 8, n) }, 2},
		{"RFC 7914 §2 scrypt N=2^14 r=8, p (work)", func(n int64) (Derivation, error) { return scryptDerivation(1<<14, 8, n) }, 16},
		{"RFC 7914 §2 scrypt N=2^17 p=1, r (work, 256 MiB)", func(n int64) (Derivation, error) { return scryptDerivation(1<<17, n, 1) }, 16},
		{"RFC 7914 §2 scrypt r=8 p=1, log2 N (memory)", func(n int64) (Derivation, error) { return scryptDerivation(1<<n, 8, 1) }, 18},
		{"RFC 7914 §2 scrypt N=2 p=1, r (lane memory)", func(n int64) (Derivation, error) { return scryptDerivation(2, n, 1) }, 43690},
		{"PROTOCOL.key bcrypt_pbkdf rounds", bcryptDerivation, 166},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := c.price(c.limit)
			if err != nil {
				t.Fatalf("at the limit %d: %v", c.limit, err)
			}
			if d.Estimate > maxDeriveTime || d.Memory > maxDeriveMemory+maxScryptLaneMemory {
				t.Errorf("at the limit: priced %v and %d bytes", d.Estimate, d.Memory)
			}
			if _, err := c.price(c.limit + 1); err == nil || !strings.Contains(err.Error(), "refused") {
				t.Errorf("one over the limit: %v", err)
			}
		})
	}
}

// One budget per input: a file of many encrypted blocks spends one
// allowance, not one per block (issue 22: 8 blocks at the cap took 13 s).
// The budget is started nearly spent so the test does not derive for 2 s.
func TestKDFBudgetSpansTheWholeInput(t *testing.T) {
	one := fixture(t, "ec-p384-encrypted-pbkdf2.pem") // PBKDF2-HMAC-SHA256, 2048 iterations: priced 1.8 ms
	for _, bundle := range map[string][]byte{
		"RFC 7468 §2 ten PEM blocks":                    bytes.Repeat(one, 10),
		"RFC 7468 §2 ten PEM blocks among certificates": bytes.Repeat(append(fixture(t, "leaf.pem"), one...), 10),
	} {
		derived := 0
		nearlySpent := &deriveBudget{spent: maxDeriveTime - 5*time.Millisecond, count: 999, onDerive: func(Derivation) { derived++ }}
		_, err := Parse(bundle, ParseOptions{Passphrase: []byte("correct-horse"), work: nearlySpent})
		want := "refused: this input asks for more key derivation than one input may use (2.0 s on this machine, all its encrypted keys together): 1001 derivations already spent 2.0 s, and the next, PBKDF2-HMAC-SHA256 (2048 iterations), needs 2 ms; decrypt these keys a few at a time"
		if err == nil || err.Error() != want || derived != 2 {
			t.Errorf("%v (derived %d): want 2 derivations, then\n%s", err, derived, want)
		}
	}
}

// A parse that starts its own budget: every derivation of one Parse call is
// announced once, the DER form included (it used to derive twice).
func TestKDFDerivesOncePerBlock(t *testing.T) {
	pemIn := fixture(t, "ec-p384-encrypted-pbkdf2.pem")
	block, _ := pem.Decode(pemIn)
	scryptIn := fixture(t, "ed25519-encrypted-scrypt.pem")
	cases := []struct {
		name string
		in   []byte
		want []string
	}{
		{"RFC 5958 §3 PEM", pemIn, []string{"PBKDF2-HMAC-SHA256 (2048 iterations)"}},
		{"RFC 5958 §3 binary DER", block.Bytes, []string{"PBKDF2-HMAC-SHA256 (2048 iterations)"}},
		{"RFC 5958 §3 base64 DER", []byte(base64.StdEncoding.EncodeToString(block.Bytes)), []string{"PBKDF2-HMAC-SHA256 (2048 iterations)"}},
		{"RFC 7914 §7 scrypt PEM", scryptIn, []string{"scrypt (N=16384, r=8, p=1)"}},
		{"RFC 1421 legacy PEM", fixture(t, "rsa-pkcs1-legacy-encrypted.pem"), []string{legacyPEMDerivation.KDF}},
		{"PROTOCOL.key OpenSSH", fixture(t, "openssh-ed25519-encrypted.pem"), []string{"bcrypt_pbkdf (16 rounds)"}},
		{"three PEM blocks", bytes.Join([][]byte{pemIn, scryptIn, pemIn}, nil), []string{"PBKDF2-HMAC-SHA256 (2048 iterations)", "scrypt (N=16384, r=8, p=1)", "PBKDF2-HMAC-SHA256 (2048 iterations)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			res, err := Parse(c.in, ParseOptions{Passphrase: []byte("correct-horse"), OnDerive: func(d Derivation) { got = append(got, d.KDF) }})
			if err != nil || len(res.Keys()) != len(c.want) {
				t.Fatalf("%v", err)
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("derivations %q, want %q", got, c.want)
			}
		})
	}
}

// A passphrase over MaxPassphrase is refused before any derivation; one at
// the cap is tried (and is wrong). A passphrase given for a key that is not
// encrypted is not an error (it used to fail OpenSSH keys).
func TestKDFPassphraseCapAndUnneededPassphrase(t *testing.T) {
	enc := fixture(t, "ec-p384-encrypted-pbkdf2.pem")
	for name, c := range map[string]struct {
		pass string
		want error
	}{
		"at the cap":       {strings.Repeat("p", input.MaxPassphrase), ErrWrongPassphrase},
		"one over the cap": {strings.Repeat("p", input.MaxPassphrase+1), nil},
	} {
		t.Run(name, func(t *testing.T) {
			derived := 0
			_, err := Parse(enc, ParseOptions{Passphrase: []byte(c.pass), OnDerive: func(Derivation) { derived++ }})
			switch {
			case c.want != nil && !errors.Is(err, c.want):
				t.Errorf("%v", err)
			case c.want == nil && (err == nil || err.Error() != "the passphrase is over 4 KiB: a passphrase is one line of text" || derived != 0):
				t.Errorf("%v (derived %d)", err, derived)
			}
		})
	}
	for _, f := range []string{"rsa-pkcs1.pem", "ed25519-pkcs8.pem", "ec-p384-spki.der"} {
		t.Run("unneeded passphrase/"+f, func(t *testing.T) {
			if _, err := Parse(fixture(t, f), ParseOptions{Passphrase: []byte("x")}); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("unneeded passphrase/PROTOCOL.key OpenSSH unencrypted", func(t *testing.T) {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		block, err := ssh.MarshalPrivateKey(priv, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(pem.EncodeToMemory(block), ParseOptions{Passphrase: []byte("x")}); err != nil {
			t.Errorf("%v", err)
		}
	})
}

// A cancelled parse (a conversion superseded by a newer one) stops before
// its next derivation.
func TestKDFCancelledBeforeDeriving(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	derived := 0
	_, err := Parse(fixture(t, "ed25519-encrypted-scrypt.pem"), ParseOptions{Passphrase: []byte("correct-horse"), Context: ctx, OnDerive: func(Derivation) { derived++ }})
	if !errors.Is(err, context.Canceled) || derived != 0 {
		t.Errorf("%v, derived %d", err, derived)
	}
}

// addHostileKDFSeeds gives FuzzParse the hostile parameters of every KDF, in
// PEM and in binary DER.
func addHostileKDFSeeds(f *testing.F) {
	for _, c := range hostileKDFInputs(f) {
		f.Add(c.in, "x")
		if block, _ := pem.Decode(c.in); block.Type == "ENCRYPTED PRIVATE KEY" {
			f.Add(block.Bytes, "x")
		}
	}
}

// fuzzDeriveBudget lets a fuzzed input derive as much as the fixtures need
// (the OpenSSH one is priced 192 ms) and no more: a mutated cost just under
// the caps would take the fuzzer's instrumented code a minute per input.
func fuzzDeriveBudget() *deriveBudget {
	return &deriveBudget{spent: maxDeriveTime - 250*time.Millisecond}
}
