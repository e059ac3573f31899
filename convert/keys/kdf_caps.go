package keys

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

// Key derivation from a passphrase has a cost the file chooses: a hostile
// key can ask for hours of work or gigabytes of memory (scrypt at N=2^20,
// r=32, p=16 took 150 s and 4.2 GB). Every derivation the engine runs is
// priced here BEFORE it runs, and refused when it is over a cap, naming the
// parameter and by how much. This is the one place that owns the caps.
//
// The prices are measured (BenchmarkKDFUnit in kdf_caps_bench_test.go, the
// libraries the engine uses, go1.26.8) on the reference machine: 2 shared
// KVM cores, Intel Xeon @ 2.00GHz, 24 GiB. Medians of 9–12 runs through the
// day under the load of other work (which moves PBKDF2 by ±50%), rounded up:
//
//	PBKDF2-HMAC-SHA1    1.2 µs per iteration and 20-byte output block (0.9–1.7)
//	PBKDF2-HMAC-SHA256  1.0 µs per iteration and 32-byte output block (0.7–1.8)
//	scrypt              0.9 µs per unit of N·r·p (0.6–1.2 µs: dearer at r=1 and
//	                    for a V past the caches); memory 128·N·r bytes
//	bcrypt_pbkdf        12 ms per round (x/crypto/ssh derives 48 bytes: two blocks)
//
// The caps follow from the prices: at most maxDeriveTime of derivation per
// input, all its encrypted blocks together (a 1 MiB file can hold thousands),
// and at most maxDeriveMemory for one derivation (they run one at a time).
// So, for one key: PBKDF2-HMAC-SHA256 up to 2,000,000 iterations (OWASP's
// 600,000 takes 0.6 s), PBKDF2-HMAC-SHA1 up to 1,666,666 (833,333 for a key
// of over 20 bytes: two blocks), scrypt up to N·r·p = 2,222,222 and
// 128·N·r = 256 MiB (N=2^18, r=8, p=1 fits; openssl writes N=2^14), and
// bcrypt_pbkdf up to 166 rounds (ssh-keygen writes 16; -a 100 takes 1.2 s).
const (
	pbkdf2SHA1Unit   = 1200 * time.Nanosecond
	pbkdf2SHA256Unit = 1000 * time.Nanosecond
	scryptUnit       = 900 * time.Nanosecond
	bcryptRoundUnit  = 12 * time.Millisecond

	maxDeriveTime = 2 * time.Second // per input
	// maxEncryptedJWKDeriveTime is the budget of an input that is one
	// passphrase-encrypted JWK or JWK Set (a PBES2 JWE). Issue 19's read
	// cap, encjwk.ReadCap (p2c 10,000,000), wins over maxDeriveTime there:
	// a step file at 10M must open. The input stays bounded: a JWE holds
	// one derivation, its p2c is held to ReadCap before deriving, and the
	// dearest PBES2 at the cap, HS512, is priced 20 s (measured on the
	// reference machine: see BenchmarkOpenEncryptedJWK).
	maxEncryptedJWKDeriveTime = 25 * time.Second
	maxDeriveMemory           = 256 << 20 // per derivation: scrypt's V, 128·N·r
	// maxScryptLaneMemory caps scrypt's other buffers, 128·r·(p+2) bytes.
	maxScryptLaneMemory = 16 << 20
)

// The caps per parameter, for messages and tests.
const (
	maxPBKDF2SHA1Blocks   = int64(maxDeriveTime / pbkdf2SHA1Unit)   // iterations × blocks
	maxPBKDF2SHA256Blocks = int64(maxDeriveTime / pbkdf2SHA256Unit) // iterations × blocks
	maxScryptWork         = int64(maxDeriveTime / scryptUnit)       // N·r·p
	maxOpenSSHRounds      = int64(maxDeriveTime / bcryptRoundUnit)
)

// Derivation is one key derivation from a passphrase, announced before it
// runs (ParseOptions.OnDerive): a UI shows it as progress, tests count it.
type Derivation struct {
	KDF      string        // "scrypt (N=16384, r=8, p=1)"
	Estimate time.Duration // its price on the reference machine
	Memory   int64         // the bytes it allocates
}

// deriveBudget is what one input may spend on key derivation. Parse makes
// one per call; every derivation is charged to it before it runs.
type deriveBudget struct {
	ctx      context.Context
	onDerive func(Derivation)
	spent    time.Duration
	count    int
}

func newDeriveBudget(opts ParseOptions) *deriveBudget {
	return &deriveBudget{ctx: opts.Context, onDerive: opts.OnDerive}
}

// charge admits one derivation of pass priced d, or says why not: the
// passphrase is over its cap, the input's budget is spent, or the work was
// cancelled (a newer conversion superseded it). A nil budget admits each
// derivation on its own price only.
func (b *deriveBudget) charge(pass []byte, d Derivation) error {
	return b.chargeUpTo(pass, d, maxDeriveTime)
}

// chargeEncryptedJWK admits the one derivation of a passphrase-encrypted
// JWK, held to maxEncryptedJWKDeriveTime instead of maxDeriveTime.
func (b *deriveBudget) chargeEncryptedJWK(pass []byte, d Derivation) error {
	return b.chargeUpTo(pass, d, maxEncryptedJWKDeriveTime)
}

// chargeUpTo is charge with the input's budget set to limit.
func (b *deriveBudget) chargeUpTo(pass []byte, d Derivation, limit time.Duration) error {
	if len(pass) > input.MaxPassphrase {
		return input.ErrPassphraseTooLong
	}
	if b == nil {
		b = &deriveBudget{}
	}
	if b.ctx != nil && b.ctx.Err() != nil {
		return fmt.Errorf("stopped before deriving the key: %w", b.ctx.Err())
	}
	if b.spent+d.Estimate > limit {
		return fmt.Errorf("refused: this input asks for more key derivation than one input may use (%s on this machine, all its encrypted keys together): %s already spent %s, and the next, %s, needs %s; decrypt these keys a few at a time",
			fmtEstimate(limit), words.Plural(b.count, "derivation", "derivations"), fmtEstimate(b.spent), d.KDF, fmtEstimate(d.Estimate))
	}
	b.spent += d.Estimate
	b.count++
	if b.onDerive != nil {
		b.onDerive(d)
	}
	return nil
}

// pbkdf2Derivation prices PBKDF2 with prf ("SHA1", "SHA256") for a key of
// keyLen bytes, or refuses it: the work is iterations × output blocks.
func pbkdf2Derivation(iterations int64, prf string, keyLen int) (Derivation, error) {
	unit, hashLen, maxBlocks := pbkdf2SHA1Unit, 20, maxPBKDF2SHA1Blocks
	if prf == "SHA256" {
		unit, hashLen, maxBlocks = pbkdf2SHA256Unit, 32, maxPBKDF2SHA256Blocks
	}
	blocks := int64((keyLen + hashLen - 1) / hashLen)
	if iterations < 1 {
		return Derivation{}, fmt.Errorf("this encrypted key is damaged: its PBKDF2 iteration count is %d", iterations)
	}
	maxIter := maxBlocks / blocks
	if iterations > maxIter {
		per := ""
		if blocks > 1 {
			per = fmt.Sprintf(", each for %d blocks of a %d-byte key", blocks, keyLen)
		}
		return Derivation{}, fmt.Errorf("refused: this key asks for %d PBKDF2 iterations (HMAC-%s%s), about %s of derivation on this machine, %s the %d that fit in %s",
			iterations, prf, per, fmtEstimate(priced(float64(iterations)*float64(blocks), unit)), timesOver(float64(iterations), float64(maxIter)), maxIter, fmtEstimate(maxDeriveTime))
	}
	return Derivation{
		KDF:      fmt.Sprintf("PBKDF2-HMAC-%s (%d iterations)", prf, iterations),
		Estimate: time.Duration(iterations*blocks) * unit,
	}, nil
}

// scryptDerivation prices scrypt (RFC 7914) or refuses it. Its memory is
// V, 128·N·r bytes (the p lanes run one after another over the same V),
// plus the lanes' buffers B and XY, 128·r·(p+2) bytes: a few KiB in real
// files, but a hostile r or p puts the gigabytes there instead. Work is
// N·r·p.
func scryptDerivation(n, r, p int64) (Derivation, error) {
	if n < 2 || n&(n-1) != 0 || r < 1 || p < 1 {
		return Derivation{}, fmt.Errorf("this encrypted key is damaged: scrypt needs N a power of two over 1 and r, p at least 1, not N=%d r=%d p=%d", n, r, p)
	}
	params := fmt.Sprintf("this key's scrypt parameters (N=%d, r=%d, p=%d)", n, r, p)
	v := 128 * float64(n) * float64(r)
	if v > maxDeriveMemory {
		return Derivation{}, fmt.Errorf("refused: %s ask for %s of memory (128·N·r bytes), %s the %s accepted",
			params, memName(v), timesOver(v, maxDeriveMemory), words.Size(maxDeriveMemory))
	}
	lanes := 128 * float64(r) * (float64(p) + 2)
	if lanes > maxScryptLaneMemory {
		return Derivation{}, fmt.Errorf("refused: %s ask for %s of memory for the lanes (128·r·(p+2) bytes), %s the %s accepted",
			params, memName(lanes), timesOver(lanes, maxScryptLaneMemory), words.Size(maxScryptLaneMemory))
	}
	work := float64(n) * float64(r) * float64(p)
	if work > float64(maxScryptWork) {
		return Derivation{}, fmt.Errorf("refused: this key's scrypt parameters (N=%d, r=%d, p=%d) ask for N·r·p = %.0f units of work, about %s on this machine, %s the %d that fit in %s",
			n, r, p, work, fmtEstimate(priced(work, scryptUnit)), timesOver(work, float64(maxScryptWork)), maxScryptWork, fmtEstimate(maxDeriveTime))
	}
	return Derivation{
		KDF:      fmt.Sprintf("scrypt (N=%d, r=%d, p=%d)", n, r, p),
		Estimate: time.Duration(n*r*p) * scryptUnit,
		Memory:   int64(v + lanes),
	}, nil
}

// bcryptDerivation prices the bcrypt_pbkdf of an OpenSSH key or refuses it.
func bcryptDerivation(rounds int64) (Derivation, error) {
	if rounds < 1 {
		return Derivation{}, fmt.Errorf("this OpenSSH key is damaged: it asks for %d bcrypt rounds", rounds)
	}
	if rounds > maxOpenSSHRounds {
		return Derivation{}, fmt.Errorf("refused: this OpenSSH key asks for %d bcrypt rounds, about %s of derivation on this machine, %s the %d that fit in %s",
			rounds, fmtEstimate(priced(float64(rounds), bcryptRoundUnit)), timesOver(float64(rounds), float64(maxOpenSSHRounds)), maxOpenSSHRounds, fmtEstimate(maxDeriveTime))
	}
	return Derivation{KDF: fmt.Sprintf("bcrypt_pbkdf (%d rounds)", rounds), Estimate: time.Duration(rounds) * bcryptRoundUnit}, nil
}

// legacyPEMDerivation is the MD5 of legacy "Proc-Type: 4,ENCRYPTED" PEM:
// one iteration, free, but still a use of the passphrase.
var legacyPEMDerivation = Derivation{KDF: "legacy PEM encryption (one MD5 iteration)"}

func memName(m float64) string {
	if m >= 1<<60 {
		return "over 1 EiB"
	}
	return words.Size(int64(m))
}

// priced is units × unit, saturating instead of overflowing.
func priced(units float64, unit time.Duration) time.Duration {
	d := units * float64(unit)
	if d >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(d)
}

// timesOver says by how much got is over limit: "3.5×", "over 1000×".
func timesOver(got, limit float64) string {
	r := got / limit
	switch {
	case r >= 1000:
		return "over 1000 times"
	case r >= 10:
		return fmt.Sprintf("%.0f times", r)
	}
	return fmt.Sprintf("%.1f times", r)
}

// fmtEstimate writes a duration the way a person reads it: 1.6 s, 7 min,
// 3 h, 12 days, "centuries".
func fmtEstimate(d time.Duration) string {
	switch {
	case d == math.MaxInt64 || d > 100*365*24*time.Hour:
		return "centuries"
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.0f days", d.Hours()/24)
	case d >= 2*time.Hour:
		return fmt.Sprintf("%.0f h", d.Hours())
	case d >= 2*time.Minute:
		return fmt.Sprintf("%.0f min", d.Minutes())
	case d >= 10*time.Second:
		return fmt.Sprintf("%.0f s", d.Seconds())
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
