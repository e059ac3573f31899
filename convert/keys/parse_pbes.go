package keys

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/youmark/pkcs8"
)

// Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo with PBES2, RFC 8018)
// is decrypted by github.com/youmark/pkcs8. Before that, the KDF and cipher
// are read here, so that what the library cannot do is said plainly (not as
// a wrong passphrase) and the derivation is priced and charged to the
// input's budget (kdf_caps.go) before it runs.

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}

	oidHMACWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
)

// pbes2KeySizes are the ciphers github.com/youmark/pkcs8 decrypts, by OID,
// with the key size PBKDF2 derives for them.
var pbes2KeySizes = map[string]int{
	"2.16.840.1.101.3.4.1.2":  16, // AES-128-CBC
	"2.16.840.1.101.3.4.1.6":  16, // AES-128-GCM
	"2.16.840.1.101.3.4.1.22": 24, // AES-192-CBC
	"2.16.840.1.101.3.4.1.26": 24, // AES-192-GCM
	"2.16.840.1.101.3.4.1.42": 32, // AES-256-CBC
	"2.16.840.1.101.3.4.1.46": 32, // AES-256-GCM
	"1.2.840.113549.3.7":      24, // DES-EDE3-CBC
}

// errNotEncryptedPKCS8 says DER is not an EncryptedPrivateKeyInfo at all
// (the DER reader then says what it is not, rather than this).
var errNotEncryptedPKCS8 = errors.New("this ENCRYPTED PRIVATE KEY block is damaged: it is not an EncryptedPrivateKeyInfo")

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
	IterationCount int64
	KeyLength      int                      `asn1:"optional"`
	PRF            pkix.AlgorithmIdentifier `asn1:"optional"`
}

type scryptParams struct {
	Salt                     []byte
	CostParameter            int64
	BlockSize                int64
	ParallelizationParameter int64
}

// pbes2Derivation reads an EncryptedPrivateKeyInfo's KDF and cipher and
// prices the derivation, or says why it cannot or will not run.
func pbes2Derivation(der []byte) (Derivation, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return Derivation{}, errNotEncryptedPKCS8
	}
	if !info.Algo.Algorithm.Equal(oidPBES2) {
		return Derivation{}, fmt.Errorf("encryption scheme %v is not PBES2: only PBES2 (PKCS#5 v2, what current openssl writes) is supported; re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`", info.Algo.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algo.Parameters.FullBytes, &params); err != nil {
		return Derivation{}, errors.New("the PBES2 parameters of this encrypted key are damaged")
	}
	keyLen, ok := pbes2KeySizes[params.EncryptionScheme.Algorithm.String()]
	if !ok {
		return Derivation{}, fmt.Errorf("the cipher %v of this encrypted key is not supported (AES-CBC, AES-GCM and 3DES are): re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`", params.EncryptionScheme.Algorithm)
	}
	kdf := params.KeyDerivationFunc
	switch {
	case kdf.Algorithm.Equal(oidPBKDF2):
		var p pbkdf2Params
		if _, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil {
			return Derivation{}, errors.New("the PBKDF2 parameters of this encrypted key are damaged")
		}
		prf := ""
		switch {
		case len(p.PRF.Algorithm) == 0 || p.PRF.Algorithm.Equal(oidHMACWithSHA1): // RFC 8018's default
			prf = "SHA1"
		case p.PRF.Algorithm.Equal(oidHMACWithSHA256):
			prf = "SHA256"
		default:
			return Derivation{}, fmt.Errorf("the PBKDF2 pseudo-random function %v of this encrypted key is not supported (HMAC-SHA1 and HMAC-SHA256 are): re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256`", p.PRF.Algorithm)
		}
		return pbkdf2Derivation(p.IterationCount, prf, keyLen)
	case kdf.Algorithm.Equal(oidScrypt):
		var p scryptParams
		if _, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil {
			return Derivation{}, errors.New("the scrypt parameters of this encrypted key are damaged")
		}
		return scryptDerivation(p.CostParameter, p.BlockSize, p.ParallelizationParameter)
	}
	return Derivation{}, fmt.Errorf("key derivation %v is not supported: PBKDF2 and scrypt are", kdf.Algorithm)
}

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo: priced and charged to
// the input's budget first, then derived once.
func decryptPKCS8(der []byte, opts ParseOptions) (any, error) {
	d, err := pbes2Derivation(der)
	if err != nil {
		return nil, err
	}
	if len(opts.Passphrase) == 0 {
		return nil, needPassphrase("this is an encrypted PKCS#8 private key")
	}
	if err := opts.work.charge(opts.Passphrase, d); err != nil {
		return nil, err
	}
	raw, _, err := pkcs8.ParsePrivateKey(der, opts.Passphrase)
	if err != nil {
		return nil, wrongPassphrase("the passphrase does not decrypt this encrypted PKCS#8 private key: check it and try again")
	}
	return raw, nil
}
