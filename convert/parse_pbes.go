package convert

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/youmark/pkcs8"
)

// Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo with PBES2, RFC 8018)
// is decrypted by github.com/youmark/pkcs8. Before that, the KDF parameters
// are read here and absurd costs refused: a hostile file must not make the
// app spend minutes (or gigabytes) deriving a key.

const (
	maxPBKDF2Iterations = 10_000_000 // OpenSSL writes 2048; OWASP asks 600,000 for SHA-256
	maxScryptN          = 1 << 20    // 1 GiB at r=8 would be 2^20*128*8: cap memory near 1 GiB
	maxScryptR          = 32
	maxScryptP          = 16
)

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}
)

type encryptedPrivateKeyInfo struct {
	Algo          pkix.AlgorithmIdentifier
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	Rest           asn1.RawValue `asn1:"optional"`
}

type scryptParams struct {
	Salt                     []byte
	CostParameter            int
	BlockSize                int
	ParallelizationParameter int
}

// checkPBES2Cost reads an EncryptedPrivateKeyInfo's KDF parameters and
// refuses costs beyond any sane file's.
func checkPBES2Cost(der []byte) error {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return errors.New("this ENCRYPTED PRIVATE KEY block is damaged: it is not an EncryptedPrivateKeyInfo")
	}
	if !info.Algo.Algorithm.Equal(oidPBES2) {
		return fmt.Errorf("encryption scheme %v is not PBES2: only PBES2 (PKCS#5 v2, what current openssl writes) is supported; re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`", info.Algo.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algo.Parameters.FullBytes, &params); err != nil {
		return errors.New("the PBES2 parameters of this encrypted key are damaged")
	}
	kdf := params.KeyDerivationFunc
	switch {
	case kdf.Algorithm.Equal(oidPBKDF2):
		var p pbkdf2Params
		if _, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil {
			return errors.New("the PBKDF2 parameters of this encrypted key are damaged")
		}
		if p.IterationCount < 1 || p.IterationCount > maxPBKDF2Iterations {
			return fmt.Errorf("refused: this key asks for %d PBKDF2 iterations (at most %d are accepted), which would keep the app busy for a very long time", p.IterationCount, maxPBKDF2Iterations)
		}
	case kdf.Algorithm.Equal(oidScrypt):
		var p scryptParams
		if _, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil {
			return errors.New("the scrypt parameters of this encrypted key are damaged")
		}
		if p.CostParameter < 2 || p.CostParameter > maxScryptN || p.BlockSize < 1 || p.BlockSize > maxScryptR || p.ParallelizationParameter < 1 || p.ParallelizationParameter > maxScryptP {
			return fmt.Errorf("refused: this key asks for scrypt N=%d r=%d p=%d (at most N=%d r=%d p=%d are accepted)", p.CostParameter, p.BlockSize, p.ParallelizationParameter, maxScryptN, maxScryptR, maxScryptP)
		}
	default:
		return fmt.Errorf("key derivation %v is not supported: PBKDF2 and scrypt are", kdf.Algorithm)
	}
	return nil
}

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo after the cost check.
func decryptPKCS8(der, pass []byte) (any, error) {
	if err := checkPBES2Cost(der); err != nil {
		return nil, err
	}
	if len(pass) == 0 {
		return nil, needPassphrase("this is an encrypted PKCS#8 private key: enter its passphrase below")
	}
	raw, _, err := pkcs8.ParsePrivateKey(der, pass)
	if err != nil {
		return nil, wrongPassphrase("the passphrase does not decrypt this encrypted PKCS#8 private key: check it and try again")
	}
	return raw, nil
}
