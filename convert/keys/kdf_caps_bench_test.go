package keys

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // PBKDF2-HMAC-SHA1 is what openssl's -v2prf hmacWithSHA1 writes
	"crypto/sha256"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/youmark/pkcs8"
	"golang.org/x/crypto/pbkdf2"
	"golang.org/x/crypto/scrypt"
	"golang.org/x/crypto/ssh"

	"github.com/jwkdesk/jwkdesk/convert/input"
)

// BenchmarkKDFUnit measures one unit of each key derivation the engine runs
// for a passphrase, through the same libraries: the cost model in
// kdf_caps.go (and so every cap) is these numbers. ns/unit is the figure to
// read:
//
//	go test -tags jwx_es256k -run '^$' -bench KDFUnit -benchtime 3x -count 5 ./convert/
func BenchmarkKDFUnit(b *testing.B) {
	pass, salt := []byte("correct-horse"), []byte("saltsalt")
	perUnit := func(b *testing.B, units int, f func()) {
		b.Helper()
		for b.Loop() {
			f()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(units), "ns/unit")
	}
	// PBKDF2: a unit is one iteration for one output block (20 bytes for
	// SHA-1, 32 for SHA-256).
	const iter = 200_000
	b.Run("PBKDF2-HMAC-SHA1/iteration-block", func(b *testing.B) {
		perUnit(b, iter, func() { pbkdf2.Key(pass, salt, iter, sha1.Size, sha1.New) })
	})
	b.Run("PBKDF2-HMAC-SHA256/iteration-block", func(b *testing.B) {
		perUnit(b, iter, func() { pbkdf2.Key(pass, salt, iter, sha256.Size, sha256.New) })
	})
	// scrypt: a unit is N·r·p. Small (16 MiB) and large (256 MiB) working
	// sets: the large one misses the caches more and costs more per unit.
	for _, c := range []struct{ logN, r, p int }{{14, 8, 1}, {14, 8, 8}, {18, 8, 1}, {16, 1, 32}} {
		b.Run(fmt.Sprintf("scrypt/N=2^%d,r=%d,p=%d", c.logN, c.r, c.p), func(b *testing.B) {
			b.ReportAllocs()
			perUnit(b, (1<<c.logN)*c.r*c.p, func() {
				if _, err := scrypt.Key(pass, salt, 1<<c.logN, c.r, c.p, 32); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
	// bcrypt_pbkdf as golang.org/x/crypto/ssh runs it for an OpenSSH key (48
	// bytes of key and IV: two bcrypt blocks per round): a unit is a round.
	const rounds = 32
	key := opensshWithRounds(b, rounds)
	b.Run("bcrypt-pbkdf/round", func(b *testing.B) {
		perUnit(b, rounds, func() { _, _ = ssh.ParseRawPrivateKeyWithPassphrase(key, pass) })
	})
}

// opensshWithRounds is the encrypted OpenSSH fixture (ssh-keygen -a 16)
// rewritten to ask for another number of bcrypt rounds. Only 16 rounds
// decrypt it; any other count costs the same work and fails as a wrong
// passphrase.
func opensshWithRounds(tb testing.TB, rounds uint32) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "parse", "openssh-ed25519-encrypted.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	block, _ := pem.Decode(raw)
	// kdfoptions follow "bcrypt": their length, the salt's length, the
	// 16-byte salt, then the rounds.
	i := indexAfter(block.Bytes, "bcrypt") + 4 + 4 + 16
	b := append([]byte(nil), block.Bytes...)
	b[i], b[i+1], b[i+2], b[i+3] = byte(rounds>>24), byte(rounds>>16), byte(rounds>>8), byte(rounds)
	return pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: b})
}

func indexAfter(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i + len(s)
		}
	}
	panic("not found: " + s)
}

// kdfWorstCase is an input that asks for as much key derivation as the caps
// allow (and, for the budget, more), with the passphrase correct-horse.
type kdfWorstCase struct {
	name string
	in   []byte
}

// kdfWorstCases builds the inputs at each cap (encrypting them costs one
// derivation each).
func kdfWorstCases(tb testing.TB) []kdfWorstCase {
	tb.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	pass := []byte("correct-horse")
	enc := func(opts *pkcs8.Opts) []byte {
		der, err := pkcs8.MarshalPrivateKey(priv, pass, opts)
		if err != nil {
			tb.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
	}
	pbkdf2Opts := func(c pkcs8.Cipher, iter int, h crypto.Hash) *pkcs8.Opts {
		return &pkcs8.Opts{Cipher: c, KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 16, IterationCount: iter, HMACHash: h}}
	}
	scryptOpts := func(n, r, p int) *pkcs8.Opts {
		return &pkcs8.Opts{Cipher: pkcs8.AES256CBC, KDFOpts: pkcs8.ScryptOpts{SaltSize: 16, CostParameter: n, BlockSize: r, ParallelizationParameter: p}}
	}
	sha256Cap := enc(pbkdf2Opts(pkcs8.AES256CBC, int(maxPBKDF2SHA256Blocks), crypto.SHA256))
	block, _ := pem.Decode(sha256Cap)
	cheap, err := os.ReadFile(filepath.Join("testdata", "parse", "ec-p384-encrypted-pbkdf2.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	return []kdfWorstCase{
		{"pbkdf2-sha1-aes128-1666666", enc(pbkdf2Opts(pkcs8.AES128CBC, int(maxPBKDF2SHA1Blocks), crypto.SHA1))},
		{"pbkdf2-sha1-aes256-833333", enc(pbkdf2Opts(pkcs8.AES256CBC, int(maxPBKDF2SHA1Blocks/2), crypto.SHA1))},
		{"pbkdf2-sha256-aes256-2000000", sha256Cap},
		{"pbkdf2-sha256-aes256-2000000-der", block.Bytes},
		{"scrypt-N262144-r8-p1", enc(scryptOpts(1<<18, 8, 1))},
		{"scrypt-N16384-r8-p16", enc(scryptOpts(1<<14, 8, 16))},
		{"scrypt-N2-r43690-p1", enc(scryptOpts(2, 43690, 1))},
		{"bcrypt-166-rounds", opensshWithRounds(tb, uint32(maxOpenSSHRounds))}, // wrong passphrase after the whole derivation
		{"budget-8-blocks-at-the-cap", bytes.Repeat(sha256Cap, 8)},
		{"budget-1MiB-of-2048-iteration-blocks", bytes.Repeat(cheap, input.MaxKeyInput/len(cheap))},
	}
}

// BenchmarkKDFWorstCase parses each input at the caps: the time and memory
// one hostile input can cost (B/op is what scrypt allocates).
//
//	go test -tags jwx_es256k -run '^$' -bench KDFWorstCase -benchtime 1x -count 3 -benchmem ./convert/
func BenchmarkKDFWorstCase(b *testing.B) {
	for _, c := range kdfWorstCases(b) {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				_, _ = Parse(c.in, ParseOptions{Passphrase: []byte("correct-horse")})
			}
		})
	}
}

var kdfWorstDir = flag.String("kdf-worst-dir", "", "write the inputs at the KDF caps to this folder (scripts/kdf-caps.sh)")

// TestWriteKDFWorstCases writes the inputs at the caps for
// scripts/kdf-caps.sh, which measures them through the CLI (time, RSS).
func TestWriteKDFWorstCases(t *testing.T) {
	if *kdfWorstDir == "" {
		t.Skip("only with -kdf-worst-dir (scripts/kdf-caps.sh)")
	}
	for _, c := range kdfWorstCases(t) {
		if err := os.WriteFile(filepath.Join(*kdfWorstDir, c.name+".key"), c.in, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
